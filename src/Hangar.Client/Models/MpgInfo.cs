namespace Hangar.Client.Models;

/// <summary>One managed Postgres cluster as `mpg list` and `mpg status` show it.</summary>
public sealed record MpgInfo
{
    public required string Name { get; init; }

    public required string Region { get; init; }

    /// <summary>pending, running, failed or destroying: the pool's phase, or the cluster's while it is not running.</summary>
    public required string Phase { get; init; }

    public required string Plan { get; init; }

    public required string Host { get; init; }

    /// <summary>PgBouncer's port: what DATABASE_URL points at.</summary>
    public int? PoolPort { get; init; }

    /// <summary>The cluster port (the leader, directly): DIRECT_DATABASE_URL.</summary>
    public int? ClusterPort { get; init; }

    public required int Nodes { get; init; }

    public required int VolumeSizeGb { get; init; }

    public required int MaxConnections { get; init; }

    public required int PoolSize { get; init; }

    public required string PoolMode { get; init; }

    public required int MaxClientConnections { get; init; }

    public IReadOnlyList<string> Apps { get; init; } = [];

    public required DateTimeOffset CreatedAt { get; init; }

    public string? Error { get; init; }
}
