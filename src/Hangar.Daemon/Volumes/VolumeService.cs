using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Ids;
using Hangar.Core.Names;
using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Reconcile;
using Hangar.State;

namespace Hangar.Daemon.Volumes;

/// <summary>
/// Volume verbs. Each writes desired state and waits for <see cref="VolumeReconciler"/> to make it so:
/// the API and a restarted daemon go through the same code, so a step cut short is finished by the next pass.
/// </summary>
internal sealed class VolumeService(RecordStore store, AppService apps, DaemonOptions options, TimeProvider time)
{
    public const int MinSizeGb = 1;
    public const int MaxSizeGb = 500;
    public const int MinRetentionDays = 1;
    public const int MaxRetentionDays = 60;
    public const int DefaultRetentionDays = 5;

    private static readonly TimeSpan WaitLimit = TimeSpan.FromMinutes(30);
    private readonly RecordWait _wait = new(store, time);

    public async Task<VolumeRecord> CreateAsync(CreateVolumeRequest request, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("volume", request.Name));
        problems.Add(request.Region is null ? null : ResourceNames.Problem("region", request.Region));
        problems.Range("--size", request.SizeGb, MinSizeGb, MaxSizeGb);
        problems.Range("--snapshot-retention", request.SnapshotRetention, MinRetentionDays, MaxRetentionDays);
        var autoExtend = ValidateAutoExtend(request, problems);
        problems.Check(request.SnapshotId is null || ResourceIds.IsValid(request.SnapshotId, ResourceIds.SnapshotPrefix),
            $"invalid --snapshot-id '{request.SnapshotId}': snapshot ids look like vs_xxxxxxxx");
        problems.ThrowIfAny();

        if (request.App is not null)
        {
            await apps.RequireAsync(request.App, cancellationToken);
        }

        var size = request.SizeGb ?? MinSizeGb;
        if (request.SnapshotId is { } snapshotId)
        {
            var snapshot = await store.GetAsync<SnapshotRecord>(StoreKeys.Snapshot(snapshotId), cancellationToken);
            if (snapshot is not { Value.Ready: true })
            {
                throw HangarException.NotFound("snapshot", snapshotId);
            }

            if (request.SizeGb is { } asked && asked < snapshot.Value.VolumeSizeGb)
            {
                throw HangarException.Invalid($"invalid --size {asked}: snapshot {snapshotId} needs at least {snapshot.Value.VolumeSizeGb} GB");
            }

            size = Math.Max(size, snapshot.Value.VolumeSizeGb);
        }

        if (autoExtend is not null && autoExtend.LimitGb < size)
        {
            throw HangarException.Invalid($"invalid --auto-extend-limit {autoExtend.LimitGb}: must be at least the volume size {size} GB");
        }

        var volume = new VolumeRecord
        {
            Id = ResourceIds.New(ResourceIds.VolumePrefix),
            Name = request.Name,
            App = request.App,
            Region = request.Region ?? options.Region,
            SizeGb = size,
            CreatedAt = time.GetUtcNow(),
            SnapshotRetentionDays = request.SnapshotRetention ?? DefaultRetentionDays,
            ScheduledSnapshots = request.ScheduledSnapshots ?? true,
            AutoExtend = autoExtend,
            SnapshotId = request.SnapshotId,
        };
        return await CreateAndWaitAsync(volume, cancellationToken);
    }

    public async Task<IReadOnlyList<VolumeRecord>> ListAsync(string? app, CancellationToken cancellationToken)
    {
        if (app is not null)
        {
            await apps.RequireAsync(app, cancellationToken);
        }

        var volumes = await store.ListAsync<VolumeRecord>(StoreKeys.Volumes, cancellationToken);
        return [.. volumes.Select(v => v.Value).Where(v => app is null || v.App == app).OrderBy(v => v.CreatedAt)];
    }

    public async Task<VolumeRecord> GetAsync(string id, CancellationToken cancellationToken) => (await RequireAsync(id, cancellationToken)).Value;

    public async Task<VolumeRecord> ExtendAsync(string id, int sizeGb, CancellationToken cancellationToken)
    {
        var current = await RequireAsync(id, cancellationToken);
        if (sizeGb <= current.Value.SizeGb || sizeGb > MaxSizeGb)
        {
            throw HangarException.Invalid(current.Value.SizeGb >= MaxSizeGb
                ? $"invalid --size {sizeGb}: volume {id} is already at the maximum of {MaxSizeGb} GB"
                : $"invalid --size {sizeGb}: volume {id} is {current.Value.SizeGb} GB and can only grow ({current.Value.SizeGb + 1}-{MaxSizeGb})");
        }

        return (await store.MutateAsync<VolumeRecord>(StoreKeys.Volume(id), v => v with { SizeGb = Math.Max(v.SizeGb, sizeGb) }, cancellationToken))!;
    }

    public async Task<VolumeRecord> ForkAsync(string id, string? name, CancellationToken cancellationToken)
    {
        if (name is not null && ResourceNames.Problem("volume", name) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        var source = (await RequireAsync(id, cancellationToken)).Value;
        if (source.Phase != VolumePhase.Created)
        {
            throw HangarException.Precondition($"volume {id} is {source.Phase.ToString().ToLowerInvariant()}: only a created volume can be forked");
        }

        var fork = source with
        {
            Id = ResourceIds.New(ResourceIds.VolumePrefix),
            Name = name ?? source.Name,
            CreatedAt = time.GetUtcNow(),
            SnapshotId = null,
            ForkOf = source.Id,
            AttachedTo = null,
            Phase = VolumePhase.Pending,
            Error = null,
            UsedBytes = 0,
            LastScheduledSnapshotAt = null,
        };
        return await CreateAndWaitAsync(fork, cancellationToken);
    }

    public async Task DestroyAsync(string id, CancellationToken cancellationToken)
    {
        var volume = (await RequireAsync(id, cancellationToken)).Value;
        if (volume.AttachedTo is { } owner)
        {
            throw HangarException.Precondition($"volume {id} is attached to {owner}: destroy or detach that first");
        }

        var marked = await store.MutateAsync<VolumeRecord>(StoreKeys.Volume(id), v => v.AttachedTo is null ? v with { Phase = VolumePhase.Destroying } : null, cancellationToken);
        if (marked?.AttachedTo is { } raced)
        {
            throw HangarException.Precondition($"volume {id} is attached to {raced}: destroy or detach that first");
        }

        await _wait.UntilAsync<VolumeRecord>(StoreKeys.Volume(id), v => v is null, WaitLimit, Busy, cancellationToken);
    }

    public async Task<SnapshotRecord> SnapshotAsync(string volumeId, bool scheduled, CancellationToken cancellationToken)
    {
        var volume = (await RequireAsync(volumeId, cancellationToken)).Value;
        if (volume.Phase != VolumePhase.Created)
        {
            throw HangarException.Precondition($"volume {volumeId} is {volume.Phase.ToString().ToLowerInvariant()}: only a created volume can be snapshotted");
        }

        var snapshot = SnapshotReconciler.NewSnapshot(volume, scheduled, time.GetUtcNow());
        await store.CreateAsync(StoreKeys.Snapshot(snapshot.Id), snapshot, cancellationToken);
        var done = await _wait.UntilAsync<SnapshotRecord>(StoreKeys.Snapshot(snapshot.Id), s => s is null || s.Ready || s.Error is not null, WaitLimit, Busy, cancellationToken);
        if (done?.Error is { } error)
        {
            // A failed snapshot is never listed (only ready ones are); the snapshot reconciler removes its record.
            throw HangarException.Precondition($"snapshot of volume {volumeId} failed: {error}");
        }

        return done ?? throw HangarException.Precondition($"snapshot of volume {volumeId} was dropped: the volume is gone");
    }

    public async Task<IReadOnlyList<SnapshotRecord>> ListSnapshotsAsync(string volumeId, CancellationToken cancellationToken)
    {
        if (!ResourceIds.IsValid(volumeId, ResourceIds.VolumePrefix))
        {
            throw HangarException.Invalid($"invalid volume id '{volumeId}': volume ids look like vol_xxxxxxxx");
        }

        var snapshots = await store.ListAsync<SnapshotRecord>(StoreKeys.Snapshots, cancellationToken);
        var list = snapshots.Select(s => s.Value).Where(s => s.VolumeId == volumeId && s.Ready).OrderBy(s => s.CreatedAt).ToList();
        if (list.Count == 0 && await store.GetAsync<VolumeRecord>(StoreKeys.Volume(volumeId), cancellationToken) is null)
        {
            throw HangarException.NotFound("volume", volumeId);
        }

        return list;
    }

    private async Task<VolumeRecord> CreateAndWaitAsync(VolumeRecord volume, CancellationToken cancellationToken)
    {
        await store.CreateAsync(StoreKeys.Volume(volume.Id), volume, cancellationToken);
        return await _wait.CreatedAsync<VolumeRecord>(
            StoreKeys.Volume(volume.Id),
            v => v.Phase == VolumePhase.Pending,
            v => v.Phase == VolumePhase.Failed ? v.Error ?? $"volume {volume.Id} could not be created" : null,
            v => v with { Phase = VolumePhase.Destroying },
            WaitLimit,
            Busy,
            () => HangarException.NotFound("volume", volume.Id),
            cancellationToken);
    }

    private async Task<Versioned<VolumeRecord>> RequireAsync(string id, CancellationToken cancellationToken)
    {
        if (!ResourceIds.IsValid(id, ResourceIds.VolumePrefix))
        {
            throw HangarException.Invalid($"invalid volume id '{id}': volume ids look like vol_xxxxxxxx");
        }

        return await store.GetAsync<VolumeRecord>(StoreKeys.Volume(id), cancellationToken) ?? throw HangarException.NotFound("volume", id);
    }

    private static string Busy(VolumeRecord? volume) => $"volume {volume?.Id} is still {volume?.Phase.ToString().ToLowerInvariant()}";

    private static string Busy(SnapshotRecord? snapshot) => $"snapshot {snapshot?.Id} of volume {snapshot?.VolumeId} is still being taken";

    private static AutoExtend? ValidateAutoExtend(CreateVolumeRequest request, ProblemList problems)
    {
        var any = request.AutoExtendThreshold is not null || request.AutoExtendIncrement is not null || request.AutoExtendLimit is not null;
        if (!any)
        {
            return null;
        }

        problems.Check(request.AutoExtendThreshold is not null && request.AutoExtendIncrement is not null && request.AutoExtendLimit is not null,
            "--auto-extend-threshold, --auto-extend-increment and --auto-extend-limit go together");
        problems.Range("--auto-extend-threshold", request.AutoExtendThreshold, 1, 99);
        problems.Range("--auto-extend-increment", request.AutoExtendIncrement, 1, MaxSizeGb);
        problems.Range("--auto-extend-limit", request.AutoExtendLimit, MinSizeGb, MaxSizeGb);
        return new AutoExtend(request.AutoExtendThreshold ?? 0, request.AutoExtendIncrement ?? 0, request.AutoExtendLimit ?? 0);
    }
}
