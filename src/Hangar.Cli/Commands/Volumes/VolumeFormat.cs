using Hangar.Cli.Infrastructure;
using Hangar.Core.Resources;

namespace Hangar.Cli.Commands.Volumes;

internal static class VolumeFormat
{
    public static void Table(IEnumerable<VolumeRecord> volumes) =>
        Output.Table(["id", "state", "name", "size", "used", "region", "app", "attached to", "created at"], volumes.Select(v => new[]
        {
            v.Id, State(v), v.Name, $"{v.SizeGb}GB", Output.Bytes(v.UsedBytes), v.Region, v.App, v.AttachedTo, Output.Ago(v.CreatedAt),
        }));

    public static void Show(VolumeRecord v) => Output.Fields(
        ("ID", v.Id),
        ("Name", v.Name),
        ("App", v.App),
        ("Region", v.Region),
        ("State", State(v)),
        ("Size", $"{v.SizeGb}GB"),
        ("Used", Output.Bytes(v.UsedBytes)),
        ("Attached to", v.AttachedTo),
        ("Created at", v.CreatedAt.ToString("u")),
        ("Snapshot retention", $"{v.SnapshotRetentionDays} days"),
        ("Scheduled snapshots", v.ScheduledSnapshots ? "true" : "false"),
        ("Auto extend", v.AutoExtend is { } a ? $"at {a.ThresholdPercent}% by {a.IncrementGb}GB up to {a.LimitGb}GB" : "off"),
        ("Source", v.SnapshotId is { } s ? "snapshot " + s : v.ForkOf is { } f ? "fork of " + f : null));

    public static void Snapshots(IEnumerable<SnapshotRecord> snapshots) =>
        Output.Table(["id", "status", "size", "archive", "created at", "retention", "scheduled"], snapshots.Select(s => new[]
        {
            s.Id, s.Ready ? "created" : "pending", Output.Bytes(s.SizeBytes), Output.Bytes(s.ArchiveBytes), Output.Ago(s.CreatedAt), $"{s.RetentionDays} days", s.Scheduled ? "yes" : "no",
        }));

    private static string State(VolumeRecord v) => v.Phase == VolumePhase.Failed ? "failed: " + v.Error : v.Phase.ToString().ToLowerInvariant();
}
