namespace Hangar.Client.Models;

public sealed record CreateVolumeRequest
{
    public required string Name { get; init; }

    public int? SizeGb { get; init; }

    public string? Region { get; init; }

    public string? App { get; init; }

    public string? SnapshotId { get; init; }

    public int? SnapshotRetention { get; init; }

    public bool? ScheduledSnapshots { get; init; }

    public int? AutoExtendThreshold { get; init; }

    public int? AutoExtendIncrement { get; init; }

    public int? AutoExtendLimit { get; init; }
}
