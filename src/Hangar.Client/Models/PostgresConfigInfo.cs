namespace Hangar.Client.Models;

/// <summary>`postgres config show/update`: the cluster-wide parameters in Patroni's dynamic configuration.</summary>
public sealed record PostgresConfigInfo(IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<string> PendingRestart, bool Restarted)
{
    /// <summary>
    /// No member leads right now: the configuration was read from (or stored in) etcd, and each node applies it
    /// when its PostgreSQL comes back.
    /// </summary>
    public bool NoLeader { get; init; }
}
