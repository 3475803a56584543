using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Postgres.Logging;
using Microsoft.Extensions.Logging;

namespace Hangar.Postgres.Operations;

/// <summary>Restarts nodes in the order of <see cref="RestartPlan"/>, waiting for a healthy cluster after each.</summary>
public sealed class RollingRestart(ClusterAccess access, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan NodeLimit = TimeSpan.FromMinutes(2);

    /// <summary>Restarts <paramref name="only"/> (every node when null); the names restarted, in order.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(IReadOnlyCollection<string>? only, CancellationToken cancellationToken)
    {
        var (state, error) = await access.StateAsync(cancellationToken).ConfigureAwait(false);
        var leader = state?.Leader?.Name ?? throw new HangarException(ErrorCodes.Unavailable, $"postgres cluster '{access.Name}' has no leader ({error ?? "none elected"})");
        var plan = RestartPlan.For(access.Cluster, leader, only);
        var restarted = new List<string>();
        foreach (var replica in plan.Replicas)
        {
            await RestartNodeAsync(replica, cancellationToken).ConfigureAwait(false);
            restarted.Add(replica.Name);
        }

        if (plan.Leader is { } old)
        {
            if (plan.SwitchoverFirst)
            {
                await new Switchover(access, time, logger).RunAsync(cancellationToken).ConfigureAwait(false);
            }

            await RestartNodeAsync(old, cancellationToken).ConfigureAwait(false);
            restarted.Add(old.Name);
        }

        OperationsLog.Restarted(logger, access.Name, string.Join(", ", restarted));
        return restarted;
    }

    private async Task RestartNodeAsync(PostgresNodeRecord node, CancellationToken cancellationToken)
    {
        try
        {
            await PatroniCalls.RunAsync(() => access.Patroni(node).RestartAsync(onlyIfPending: false, cancellationToken)).ConfigureAwait(false);
        }
        catch (HangarException ex) when (ex.Message.Contains("restart failed", StringComparison.Ordinal))
        {
            // Patroni gives up when PostgreSQL is not up within its wait (a busy host); it keeps starting it, so wait
            // for the node to be healthy before deciding it failed.
            OperationsLog.RestartSlow(logger, access.Name, node.Name);
        }

        await HealthWait.WaitAsync(access, NodeLimit, time, cancellationToken).ConfigureAwait(false);
    }
}
