namespace Hangar.Core.Resources;

/// <summary>
/// A volume: a directory under the data dir with a declared size. Key: /hangar/volumes/ID.
/// <see cref="SnapshotId"/> / <see cref="ForkOf"/> say where its first content comes from; the reconciler makes it.
/// </summary>
public sealed record VolumeRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? App { get; init; }

    public required string Region { get; init; }

    public required int SizeGb { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public int SnapshotRetentionDays { get; init; } = 5;

    public bool ScheduledSnapshots { get; init; } = true;

    public AutoExtend? AutoExtend { get; init; }

    public string? SnapshotId { get; init; }

    public string? ForkOf { get; init; }

    /// <summary>"postgres:NAME" or "redis:NAME" while a resource uses this volume.</summary>
    public string? AttachedTo { get; init; }

    public VolumePhase Phase { get; init; } = VolumePhase.Pending;

    public string? Error { get; init; }

    public long UsedBytes { get; init; }

    public DateTimeOffset? LastScheduledSnapshotAt { get; init; }

    /// <summary>The reconcile step the record has reached within its phase (e.g. waiting-leader), null when none.</summary>
    public string? Step { get; init; }

    /// <summary>When the record entered <see cref="Step"/>: step deadlines are measured from here.</summary>
    public DateTimeOffset? StepSince { get; init; }
}
