namespace Hangar.Core.Resources;

/// <summary>A compressed archive of a volume with its SHA-256. Key: /hangar/snapshots/ID.</summary>
public sealed record SnapshotRecord
{
    public required string Id { get; init; }

    public required string VolumeId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required int RetentionDays { get; init; }

    /// <summary>The declared size of the volume it was taken from: a restore gets at least this.</summary>
    public required int VolumeSizeGb { get; init; }

    public bool Scheduled { get; init; }

    public bool Ready { get; init; }

    /// <summary>Bytes of the volume's files when the snapshot was taken (restores need at least this much room).</summary>
    public long SizeBytes { get; init; }

    public long ArchiveBytes { get; init; }

    public string? Sha256 { get; init; }

    /// <summary>Why the snapshot could not be taken; such a record is removed by whoever waits for it, or after a while.</summary>
    public string? Error { get; init; }

    public DateTimeOffset ExpiresAt => CreatedAt.AddDays(RetentionDays);
}
