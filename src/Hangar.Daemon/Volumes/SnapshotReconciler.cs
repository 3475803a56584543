using Hangar.Core.Ids;
using Hangar.Core.Resources;
using Hangar.Daemon.Postgres;
using Hangar.Daemon.Reconcile;
using Hangar.State;
using Hangar.Volumes;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Volumes;

/// <summary>
/// Takes asked-for snapshots (one step each, with the online copy of a running database when a source offers one),
/// and at resync deletes expired snapshots and failed ones nobody looks at any more. A snapshot being taken holds up
/// only itself.
/// </summary>
internal sealed partial class SnapshotReconciler(
    IKeyValueStore kv, RecordStore store, VolumeDisk disk, IEnumerable<IOnlineCopySource> onlineCopies, ILogger<SnapshotReconciler> logger, TimeProvider clock)
    : PhasedReconciler<SnapshotRecord>(kv, store, logger, clock)
{
    private static readonly TimeSpan FailedSnapshotKeep = TimeSpan.FromMinutes(10);

    protected override string Name => "snapshots";

    protected override IReadOnlyList<string> WatchedPrefixes => [StoreKeys.Snapshots];

    protected override string RecordPrefix => StoreKeys.Snapshots;

    public static SnapshotRecord NewSnapshot(VolumeRecord volume, bool scheduled, DateTimeOffset now) => new()
    {
        Id = ResourceIds.New(ResourceIds.SnapshotPrefix),
        VolumeId = volume.Id,
        CreatedAt = now,
        RetentionDays = volume.SnapshotRetentionDays,
        VolumeSizeGb = volume.SizeGb,
        Scheduled = scheduled,
    };

    protected override string KeyOf(SnapshotRecord record) => StoreKeys.Snapshot(record.Id);

    protected override string NameOf(SnapshotRecord record) => record.Id;

    protected override string PhaseOf(SnapshotRecord record) => record.Error is not null ? "failed" : record.Ready ? "ready" : "pending";

    protected override StepMark MarkOf(SnapshotRecord record) => default;

    protected override SnapshotRecord WithMark(SnapshotRecord record, StepMark mark) => record;

    protected override async Task<StepResult> StepAsync(SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        if (snapshot.Error is not null)
        {
            var left = FailedSnapshotKeep - (now - snapshot.CreatedAt);
            if (left > TimeSpan.Zero)
            {
                return StepResult.Requeue(left, null, "failed, kept for the caller to read");
            }

            await Records.Inner.DeleteAsync(StoreKeys.Snapshot(snapshot.Id), cancellationToken);
            return StepResult.Done("failed snapshot removed");
        }

        if (!snapshot.Ready)
        {
            return await TakeAsync(snapshot, cancellationToken);
        }

        if (snapshot.ExpiresAt <= now)
        {
            disk.DeleteSnapshot(snapshot.Id);
            await Records.Inner.DeleteAsync(StoreKeys.Snapshot(snapshot.Id), cancellationToken);
            Log.SnapshotExpired(Logger, snapshot.Id, snapshot.VolumeId, snapshot.RetentionDays);
            return StepResult.Done("expired, deleted");
        }

        return StepResult.Done("ready, no action");
    }

    protected override async Task FailAsync(SnapshotRecord snapshot, string reason, CancellationToken cancellationToken)
    {
        disk.DeleteSnapshot(snapshot.Id);
        await Records.MutateAsync<SnapshotRecord>(StoreKeys.Snapshot(snapshot.Id), s => s with { Error = reason }, cancellationToken);
        Log.SnapshotFailed(Logger, snapshot.Id, snapshot.VolumeId, reason);
    }

    protected override bool FailsOnError(SnapshotRecord record, Exception error) => !record.Ready && record.Error is null;

    protected override string FailureReason(SnapshotRecord record, Exception error) => error.Message;

    private async Task<StepResult> TakeAsync(SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        var volume = await Records.GetAsync<VolumeRecord>(StoreKeys.Volume(snapshot.VolumeId), cancellationToken);
        if (volume is not { Value.Phase: VolumePhase.Created })
        {
            disk.DeleteSnapshot(snapshot.Id);
            await Records.Inner.DeleteAsync(StoreKeys.Snapshot(snapshot.Id), cancellationToken);
            Log.SnapshotDropped(Logger, snapshot.Id, snapshot.VolumeId);
            return StepResult.Done("volume gone, dropped");
        }

        // A scratch copy left by a daemon that died mid-snapshot is redone: it may be half written.
        disk.DeleteScratch(snapshot.Id);
        SnapshotOverlay? overlay = null;
        foreach (var source in onlineCopies)
        {
            overlay ??= await source.CopyAsync(volume.Value, disk.ScratchOf(snapshot.Id), cancellationToken);
        }

        var credentials = onlineCopies.SelectMany(source => source.CredentialFiles(volume.Value)).ToList();
        var archive = await disk.SnapshotAsync(snapshot.VolumeId, snapshot.Id, overlay, credentials, cancellationToken);
        disk.DeleteScratch(snapshot.Id);
        await Records.MutateAsync<SnapshotRecord>(StoreKeys.Snapshot(snapshot.Id), s => s with
        {
            Ready = true,
            ArchiveBytes = archive.ArchiveBytes,
            SizeBytes = archive.ContentBytes,
            Sha256 = archive.Sha256,
        }, cancellationToken);
        Log.SnapshotTaken(Logger, snapshot.Id, snapshot.VolumeId, archive.ContentBytes, archive.ArchiveBytes);
        return StepResult.Done("taken");
    }

    private static partial class Log
    {
        [LoggerMessage(3105, LogLevel.Information, "snapshot {Id} of volume {VolumeId}: {Content} bytes in, {Archive} bytes archived")]
        public static partial void SnapshotTaken(ILogger logger, string id, string volumeId, long content, long archive);

        [LoggerMessage(3106, LogLevel.Information, "snapshot {Id} of volume {VolumeId}: expired after {Days} days, deleted")]
        public static partial void SnapshotExpired(ILogger logger, string id, string volumeId, int days);

        [LoggerMessage(3109, LogLevel.Warning, "snapshot {Id} of volume {VolumeId} failed: {Reason}")]
        public static partial void SnapshotFailed(ILogger logger, string id, string volumeId, string reason);

        [LoggerMessage(3108, LogLevel.Warning, "snapshot {Id}: volume {VolumeId} is gone, dropping the unfinished snapshot")]
        public static partial void SnapshotDropped(ILogger logger, string id, string volumeId);
    }
}
