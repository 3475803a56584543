namespace Hangar.Client.Models;

/// <summary>`postgres status`: the cluster, every node, and where the proxy sends new connections.</summary>
public sealed record PostgresStatusInfo
{
    public required PostgresClusterInfo Cluster { get; init; }

    public string? Leader { get; init; }

    public required IReadOnlyList<PostgresNodeInfo> Nodes { get; init; }

    public required string ProxyState { get; init; }

    public int? ProxyPid { get; init; }

    /// <summary>The node the proxy routes new connections to (its status file), null when none.</summary>
    public string? ProxyLeader { get; init; }

    public int? ProxyActiveConnections { get; init; }

    /// <summary>Why Patroni could not be asked, when it could not.</summary>
    public string? Unreachable { get; init; }
}
