namespace Hangar.Client.Models;

/// <summary>
/// `sqlite status`: the registration, its process, and the replica as Litestream sees it. LagSeconds is the time since
/// the newest WAL segment in the replica was written, when the database has changed since (0 when the replica has
/// everything); LastSyncAt is when Litestream last wrote a WAL segment, from its log.
/// </summary>
public sealed record SqliteStatusInfo
{
    public required SqliteInfo Database { get; init; }

    public required string ProcessState { get; init; }

    public int? Pid { get; init; }

    public int Restarts { get; init; }

    public bool Adopted { get; init; }

    public double? LagSeconds { get; init; }

    public DateTimeOffset? LastSyncAt { get; init; }

    public IReadOnlyList<SqliteGenerationInfo> Generations { get; init; } = [];

    public int Snapshots { get; init; }

    public long ReplicaBytes { get; init; }

    public SqliteDrillResult? LastDrill { get; init; }

    /// <summary>Why the replica could not be read (the S3 server down, no replica yet); the rest is still shown.</summary>
    public string? ReplicaError { get; init; }
}
