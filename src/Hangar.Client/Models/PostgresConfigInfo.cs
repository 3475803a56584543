namespace Hangar.Client.Models;

/// <summary>`postgres config show/update`: the cluster-wide parameters in Patroni's dynamic configuration.</summary>
public sealed record PostgresConfigInfo(IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<string> PendingRestart, bool Restarted);
