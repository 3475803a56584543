namespace Hangar.Proxy.Status;

/// <summary>What the daemon reads from the status file next to the config.</summary>
/// <param name="Leader">The node new connections go to; null while there is none (they wait).</param>
/// <param name="TotalConnections">Client connections accepted since the proxy started.</param>
internal sealed record ProxyStatus(
    string Cluster,
    string Listen,
    int Pid,
    string? Leader,
    DateTimeOffset LeaderSince,
    int ActiveConnections,
    long TotalConnections,
    IReadOnlyList<ProxyNodeStatus> Nodes,
    DateTimeOffset UpdatedAt);
