namespace Hangar.Core.Resources;

/// <summary>
/// A SQLite database Hangar replicates with Litestream into a bucket of its S3 server. Key: /hangar/sqlite/NAME.
/// The replica lives under the prefix NAME in <see cref="Bucket"/>, written with an access key scoped to that bucket
/// whose secret is kept encrypted (SecretBox, associated data "sqlite:NAME") and handed to Litestream only in its
/// environment, never in a file.
/// </summary>
public sealed record SqliteRecord
{
    public required string Name { get; init; }

    public required string App { get; init; }

    /// <summary>Absolute path of the database file.</summary>
    public required string Path { get; init; }

    public required string Bucket { get; init; }

    /// <summary>True when this registration made the bucket (with its own key), false when it used an existing one.</summary>
    public required bool BucketCreated { get; init; }

    public required string AccessKeyId { get; init; }

    public required string SecretCiphertext { get; init; }

    /// <summary>Litestream durations as given ("1s", "72h", "24h"), checked before they are stored.</summary>
    public required string SyncInterval { get; init; }

    public required string Retention { get; init; }

    public required string SnapshotInterval { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public SqlitePhase Phase { get; init; } = SqlitePhase.Pending;

    public string? Error { get; init; }

    /// <summary>The reconcile step the record has reached (see the daemon's reconcile contract), if any.</summary>
    public string? Step { get; init; }

    /// <summary>When the record entered <see cref="Step"/>.</summary>
    public DateTimeOffset? StepSince { get; init; }

    /// <summary>The outcome of the last restore drill, if any ran.</summary>
    public SqliteDrill? LastDrill { get; init; }
}
