namespace Hangar.Client.Models;

/// <summary>`mpg status`: the cluster (nodes, leader, proxy) and its pool (process, clients, server connections).</summary>
public sealed record MpgStatusInfo
{
    public required MpgInfo Cluster { get; init; }

    public required PostgresStatusInfo Postgres { get; init; }

    public required string PoolState { get; init; }

    public int? PoolPid { get; init; }

    public int PoolRestarts { get; init; }

    public int? ClientsActive { get; init; }

    public int? ClientsWaiting { get; init; }

    public IReadOnlyList<MpgPoolServer> Servers { get; init; } = [];

    /// <summary>Why the pool's console could not be read, when it could not.</summary>
    public string? PoolUnreachable { get; init; }
}
