namespace Hangar.Client.Models;

/// <summary>`sqlite replicate`: an absolute path; every other field falls back to a default (name from the file, the app's bucket, 1s, 72h, 24h).</summary>
public sealed record SqliteReplicateRequest
{
    public required string Path { get; init; }

    public required string App { get; init; }

    public string? Name { get; init; }

    public string? Bucket { get; init; }

    public string? SyncInterval { get; init; }

    public string? Retention { get; init; }

    public string? SnapshotInterval { get; init; }
}
