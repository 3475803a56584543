using Hangar.Core.Resources;
using Hangar.Daemon.Reconcile;
using Hangar.State;
using Hangar.Volumes;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Volumes;

/// <summary>
/// Makes volumes on disk match their records, one step per volume: materialise a pending one (empty, fork, restore),
/// remove a destroyed one, and at resync measure usage, auto-extend and ask for the daily snapshot. A long copy
/// (fork, restore) holds up only its own volume.
/// </summary>
internal sealed partial class VolumeReconciler(IKeyValueStore kv, RecordStore store, VolumeDisk disk, ILogger<VolumeReconciler> logger, TimeProvider clock)
    : PhasedReconciler<VolumeRecord>(kv, store, logger, clock)
{
    private const long GiB = 1024L * 1024 * 1024;
    private static readonly TimeSpan SnapshotInterval = TimeSpan.FromDays(1);

    protected override string Name => "volumes";

    protected override IReadOnlyList<string> WatchedPrefixes => [StoreKeys.Volumes];

    protected override string RecordPrefix => StoreKeys.Volumes;

    protected override string KeyOf(VolumeRecord record) => StoreKeys.Volume(record.Id);

    protected override string NameOf(VolumeRecord record) => record.Id;

    protected override string PhaseOf(VolumeRecord record) => record.Phase.ToString().ToLowerInvariant();

    protected override StepMark MarkOf(VolumeRecord record) => new(record.Step, record.StepSince);

    protected override VolumeRecord WithMark(VolumeRecord record, StepMark mark) => record with { Step = mark.SubPhase, StepSince = mark.Since };

    protected override async Task<StepResult> StepAsync(VolumeRecord volume, CancellationToken cancellationToken)
    {
        switch (volume.Phase)
        {
            case VolumePhase.Pending:
                return await MaterializeAsync(volume, cancellationToken);
            case VolumePhase.Destroying:
                disk.Delete(volume.Id);
                await Records.Inner.DeleteAsync(StoreKeys.Volume(volume.Id), cancellationToken);
                Log.Destroyed(Logger, volume.Id, volume.Name);
                return StepResult.Done("destroyed");
            case VolumePhase.Created:
                return await MeasureAsync(volume, cancellationToken);
            default:
                return StepResult.Done("no action");
        }
    }

    protected override async Task FailAsync(VolumeRecord volume, string reason, CancellationToken cancellationToken)
    {
        disk.Delete(volume.Id);
        await Records.MutateAsync<VolumeRecord>(StoreKeys.Volume(volume.Id), v => v with { Phase = VolumePhase.Failed, Error = reason }, cancellationToken);
        Log.MaterializeFailed(Logger, volume.Id, reason);
    }

    protected override bool FailsOnError(VolumeRecord record, Exception error) => record.Phase == VolumePhase.Pending;

    protected override string FailureReason(VolumeRecord record, Exception error) => error.Message;

    private async Task<StepResult> MaterializeAsync(VolumeRecord volume, CancellationToken cancellationToken)
    {
        string how;
        if (volume.SnapshotId is { } snapshotId)
        {
            var snapshot = await Records.GetAsync<SnapshotRecord>(StoreKeys.Snapshot(snapshotId), cancellationToken)
                ?? throw Core.Errors.HangarException.NotFound("snapshot", snapshotId);
            await disk.RestoreAsync(snapshotId, snapshot.Value.Sha256 ?? string.Empty, volume.Id, cancellationToken);
            how = "restored from snapshot " + snapshotId;
        }
        else if (volume.ForkOf is { } source)
        {
            await disk.ForkAsync(source, volume.Id, cancellationToken);
            how = "forked from " + source;
        }
        else
        {
            disk.CreateEmpty(volume.Id);
            how = "created empty";
        }

        var used = disk.UsedBytes(volume.Id);
        await Records.MutateAsync<VolumeRecord>(StoreKeys.Volume(volume.Id), v => v.Phase == VolumePhase.Pending ? v with { Phase = VolumePhase.Created, UsedBytes = used } : null, cancellationToken);
        Log.Materialized(Logger, volume.Id, volume.Name, how);
        return StepResult.Done(how);
    }

    /// <summary>Usage, auto-extend and the daily snapshot: due at resync (every record is stepped then), cheap otherwise.</summary>
    private async Task<StepResult> MeasureAsync(VolumeRecord volume, CancellationToken cancellationToken)
    {
        var used = disk.UsedBytes(volume.Id);
        var size = volume.SizeGb;
        if (volume.AutoExtend is { } rule && used * 100 >= rule.ThresholdPercent * size * GiB && size < rule.LimitGb)
        {
            size = Math.Min(size + rule.IncrementGb, rule.LimitGb);
            Metrics.DaemonMetrics.AutoExtended();
            Log.AutoExtended(Logger, volume.Id, volume.SizeGb, size, rule.ThresholdPercent);
        }

        var now = Time.GetUtcNow();
        var snapshotDue = volume.ScheduledSnapshots && now - (volume.LastScheduledSnapshotAt ?? volume.CreatedAt) >= SnapshotInterval;
        if (used != volume.UsedBytes || size != volume.SizeGb || snapshotDue)
        {
            await Records.MutateAsync<VolumeRecord>(StoreKeys.Volume(volume.Id), v => v with
            {
                UsedBytes = used,
                SizeGb = Math.Max(v.SizeGb, size),
                LastScheduledSnapshotAt = snapshotDue ? now : v.LastScheduledSnapshotAt,
            }, cancellationToken);
        }

        if (snapshotDue)
        {
            var snapshot = SnapshotReconciler.NewSnapshot(volume, scheduled: true, now);
            await Records.CreateAsync(StoreKeys.Snapshot(snapshot.Id), snapshot, cancellationToken);
            Log.ScheduledSnapshot(Logger, snapshot.Id, volume.Id);
            return StepResult.Done($"{used} bytes used, daily snapshot {snapshot.Id} asked for");
        }

        return StepResult.Done($"{used} bytes used of {size} GB, no action");
    }

    private static partial class Log
    {
        [LoggerMessage(3101, LogLevel.Information, "volume {Id} ({Name}): {How}")]
        public static partial void Materialized(ILogger logger, string id, string name, string how);

        [LoggerMessage(3102, LogLevel.Warning, "volume {Id}: could not be made: {Reason}")]
        public static partial void MaterializeFailed(ILogger logger, string id, string reason);

        [LoggerMessage(3103, LogLevel.Information, "volume {Id} ({Name}): destroyed")]
        public static partial void Destroyed(ILogger logger, string id, string name);

        [LoggerMessage(3104, LogLevel.Information, "volume {Id}: usage crossed {Threshold}%, extended from {From} GB to {To} GB")]
        public static partial void AutoExtended(ILogger logger, string id, int from, int to, int threshold);

        [LoggerMessage(3107, LogLevel.Information, "snapshot {Id}: scheduled daily snapshot of volume {VolumeId}")]
        public static partial void ScheduledSnapshot(ILogger logger, string id, string volumeId);
    }
}
