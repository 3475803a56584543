using Microsoft.Extensions.Logging;

namespace Hangar.Postgres.Logging;

/// <summary>Cluster operations (switchover, rolling restart, parameter rollout): ids 4020-4039, inside Hangar.Postgres's block.</summary>
internal static partial class OperationsLog
{
    [LoggerMessage(4020, LogLevel.Information, "postgres {Name}: switchover from {From} to {To} done")]
    public static partial void SwitchedOver(ILogger logger, string name, string from, string to);

    [LoggerMessage(4021, LogLevel.Information, "postgres {Name}: rolling restart done in order {Order}")]
    public static partial void Restarted(ILogger logger, string name, string order);

    [LoggerMessage(4022, LogLevel.Warning, "postgres {Name}: Patroni reported the restart of {Node} as failed; waiting for the node to come back healthy")]
    public static partial void RestartSlow(ILogger logger, string name, string node);

    [LoggerMessage(4023, LogLevel.Warning, "postgres {Name}: no member's Patroni took the configuration ({Errors}); written to etcd directly, applied as the nodes come back")]
    public static partial void ConfigWrittenToEtcd(ILogger logger, string name, string errors);
}
