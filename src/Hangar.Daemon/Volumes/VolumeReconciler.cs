using Hangar.Core.Ids;
using Hangar.Core.Resources;
using Hangar.Daemon.Postgres;
using Hangar.Daemon.Reconcile;
using Hangar.State;
using Hangar.Volumes;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Volumes;

/// <summary>
/// Makes volumes and snapshots on disk match their records: materialises pending volumes (empty, fork, restore),
/// removes destroyed ones, measures usage, auto-extends, takes daily snapshots and deletes expired ones.
/// </summary>
internal sealed partial class VolumeReconciler(
    IKeyValueStore kv, RecordStore store, VolumeDisk disk, IEnumerable<IOnlineCopySource> onlineCopies, ILogger<VolumeReconciler> logger, TimeProvider clock)
    : ReconcileLoop(kv, logger, clock)
{
    private const long GiB = 1024L * 1024 * 1024;
    private static readonly TimeSpan SnapshotInterval = TimeSpan.FromDays(1);
    private static readonly TimeSpan FailedSnapshotKeep = TimeSpan.FromMinutes(10);

    protected override string Name => "volumes";

    protected override IReadOnlyList<string> WatchedPrefixes => [StoreKeys.Volumes, StoreKeys.Snapshots];

    public static SnapshotRecord NewSnapshot(VolumeRecord volume, bool scheduled, DateTimeOffset now) => new()
    {
        Id = ResourceIds.New(ResourceIds.SnapshotPrefix),
        VolumeId = volume.Id,
        CreatedAt = now,
        RetentionDays = volume.SnapshotRetentionDays,
        VolumeSizeGb = volume.SizeGb,
        Scheduled = scheduled,
    };

    protected override async Task PassAsync(bool resync, CancellationToken cancellationToken)
    {
        foreach (var entry in await store.ListAsync<VolumeRecord>(StoreKeys.Volumes, cancellationToken))
        {
            var volume = entry.Value;
            switch (volume.Phase)
            {
                case VolumePhase.Pending:
                    await MaterializeAsync(volume, cancellationToken);
                    break;
                case VolumePhase.Destroying:
                    disk.Delete(volume.Id);
                    await Store.DeleteAsync(StoreKeys.Volume(volume.Id), cancellationToken);
                    Log.Destroyed(Logger, volume.Id, volume.Name);
                    break;
                case VolumePhase.Created when resync:
                    await MeasureAsync(volume, cancellationToken);
                    break;
            }
        }

        foreach (var entry in await store.ListAsync<SnapshotRecord>(StoreKeys.Snapshots, cancellationToken))
        {
            var snapshot = entry.Value;
            if (snapshot.Error is not null)
            {
                if (resync && Time.GetUtcNow() - snapshot.CreatedAt > FailedSnapshotKeep)
                {
                    await Store.DeleteAsync(StoreKeys.Snapshot(snapshot.Id), cancellationToken);
                }
            }
            else if (!snapshot.Ready)
            {
                await TakeSnapshotAsync(snapshot, cancellationToken);
            }
            else if (resync && snapshot.ExpiresAt <= Time.GetUtcNow())
            {
                disk.DeleteSnapshot(snapshot.Id);
                await Store.DeleteAsync(StoreKeys.Snapshot(snapshot.Id), cancellationToken);
                Log.SnapshotExpired(Logger, snapshot.Id, snapshot.VolumeId, snapshot.RetentionDays);
            }
        }
    }

    private async Task MaterializeAsync(VolumeRecord volume, CancellationToken cancellationToken)
    {
        string how;
        try
        {
            if (volume.SnapshotId is { } snapshotId)
            {
                var snapshot = await store.GetAsync<SnapshotRecord>(StoreKeys.Snapshot(snapshotId), cancellationToken)
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
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            disk.Delete(volume.Id);
            await store.MutateAsync<VolumeRecord>(StoreKeys.Volume(volume.Id), v => v with { Phase = VolumePhase.Failed, Error = ex.Message }, cancellationToken);
            Log.MaterializeFailed(Logger, volume.Id, ex.Message);
            return;
        }

        var used = disk.UsedBytes(volume.Id);
        await store.MutateAsync<VolumeRecord>(StoreKeys.Volume(volume.Id), v => v.Phase == VolumePhase.Pending ? v with { Phase = VolumePhase.Created, UsedBytes = used } : null, cancellationToken);
        Log.Materialized(Logger, volume.Id, volume.Name, how);
    }

    private async Task MeasureAsync(VolumeRecord volume, CancellationToken cancellationToken)
    {
        var used = disk.UsedBytes(volume.Id);
        var size = volume.SizeGb;
        if (volume.AutoExtend is { } rule && used * 100 >= rule.ThresholdPercent * size * GiB && size < rule.LimitGb)
        {
            size = Math.Min(size + rule.IncrementGb, rule.LimitGb);
            Log.AutoExtended(Logger, volume.Id, volume.SizeGb, size, rule.ThresholdPercent);
        }

        var now = Time.GetUtcNow();
        var snapshotDue = volume.ScheduledSnapshots && now - (volume.LastScheduledSnapshotAt ?? volume.CreatedAt) >= SnapshotInterval;
        if (used != volume.UsedBytes || size != volume.SizeGb || snapshotDue)
        {
            await store.MutateAsync<VolumeRecord>(StoreKeys.Volume(volume.Id), v => v with
            {
                UsedBytes = used,
                SizeGb = Math.Max(v.SizeGb, size),
                LastScheduledSnapshotAt = snapshotDue ? now : v.LastScheduledSnapshotAt,
            }, cancellationToken);
        }

        if (snapshotDue)
        {
            var snapshot = NewSnapshot(volume, scheduled: true, now);
            await store.CreateAsync(StoreKeys.Snapshot(snapshot.Id), snapshot, cancellationToken);
            Log.ScheduledSnapshot(Logger, snapshot.Id, volume.Id);
        }
    }

    private async Task TakeSnapshotAsync(SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        var volume = await store.GetAsync<VolumeRecord>(StoreKeys.Volume(snapshot.VolumeId), cancellationToken);
        if (volume is not { Value.Phase: VolumePhase.Created })
        {
            disk.DeleteSnapshot(snapshot.Id);
            await Store.DeleteAsync(StoreKeys.Snapshot(snapshot.Id), cancellationToken);
            Log.SnapshotDropped(Logger, snapshot.Id, snapshot.VolumeId);
            return;
        }

        SnapshotArchive archive;
        try
        {
            // A scratch copy left by a daemon that died mid-snapshot is redone: it may be half written.
            disk.DeleteScratch(snapshot.Id);
            SnapshotOverlay? overlay = null;
            foreach (var source in onlineCopies)
            {
                overlay ??= await source.CopyAsync(volume.Value, disk.ScratchOf(snapshot.Id), cancellationToken);
            }

            var credentials = onlineCopies.SelectMany(source => source.CredentialFiles(volume.Value)).ToList();
            archive = await disk.SnapshotAsync(snapshot.VolumeId, snapshot.Id, overlay, credentials, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            disk.DeleteSnapshot(snapshot.Id);
            await store.MutateAsync<SnapshotRecord>(StoreKeys.Snapshot(snapshot.Id), s => s with { Error = ex.Message }, cancellationToken);
            Log.SnapshotFailed(Logger, snapshot.Id, snapshot.VolumeId, ex.Message);
            return;
        }

        disk.DeleteScratch(snapshot.Id);
        await store.MutateAsync<SnapshotRecord>(StoreKeys.Snapshot(snapshot.Id), s => s with
        {
            Ready = true,
            ArchiveBytes = archive.ArchiveBytes,
            SizeBytes = archive.ContentBytes,
            Sha256 = archive.Sha256,
        }, cancellationToken);
        Log.SnapshotTaken(Logger, snapshot.Id, snapshot.VolumeId, archive.ContentBytes, archive.ArchiveBytes);
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

        [LoggerMessage(3105, LogLevel.Information, "snapshot {Id} of volume {VolumeId}: {Content} bytes in, {Archive} bytes archived")]
        public static partial void SnapshotTaken(ILogger logger, string id, string volumeId, long content, long archive);

        [LoggerMessage(3106, LogLevel.Information, "snapshot {Id} of volume {VolumeId}: expired after {Days} days, deleted")]
        public static partial void SnapshotExpired(ILogger logger, string id, string volumeId, int days);

        [LoggerMessage(3107, LogLevel.Information, "snapshot {Id}: scheduled daily snapshot of volume {VolumeId}")]
        public static partial void ScheduledSnapshot(ILogger logger, string id, string volumeId);

        [LoggerMessage(3109, LogLevel.Warning, "snapshot {Id} of volume {VolumeId} failed: {Reason}")]
        public static partial void SnapshotFailed(ILogger logger, string id, string volumeId, string reason);

        [LoggerMessage(3108, LogLevel.Warning, "snapshot {Id}: volume {VolumeId} is gone, dropping the unfinished snapshot")]
        public static partial void SnapshotDropped(ILogger logger, string id, string volumeId);
    }
}
