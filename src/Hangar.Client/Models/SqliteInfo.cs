namespace Hangar.Client.Models;

/// <summary>A replicated SQLite database as `sqlite list` shows it; never its credentials.</summary>
public sealed record SqliteInfo(
    string Name,
    string App,
    string Path,
    string Bucket,
    string ReplicaUrl,
    string State,
    string SyncInterval,
    string Retention,
    string SnapshotInterval,
    DateTimeOffset CreatedAt,
    string? Error);
