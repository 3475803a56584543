using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Ids;
using Hangar.Core.Names;
using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Hosting;
using Hangar.State;

namespace Hangar.Daemon.Volumes;

/// <summary>
/// Volume verbs. Each writes desired state and waits for <see cref="VolumeReconciler"/> to make it so:
/// the API and a restarted daemon go through the same code, so a step cut short is finished by the next pass.
/// </summary>
internal sealed class VolumeService(RecordStore store, AppService apps, VolumeReconciler reconciler, DaemonOptions options, TimeProvider time)
{
    public const int MinSizeGb = 1;
    public const int MaxSizeGb = 500;
    public const int MinRetentionDays = 1;
    public const int MaxRetentionDays = 60;
    public const int DefaultRetentionDays = 5;

    private static readonly TimeSpan WaitLimit = TimeSpan.FromMinutes(30);

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

    /// <summary>
    /// A volume owned by a resource (a Postgres node, a Redis instance): created attached, so users cannot destroy it
    /// under its owner. Idempotent by <paramref name="name"/> and <paramref name="attachedTo"/>, for reconcilers that retry.
    /// </summary>
    public async Task<VolumeRecord> EnsureAttachedAsync(string name, int sizeGb, string attachedTo, CancellationToken cancellationToken)
    {
        var existing = (await store.ListAsync<VolumeRecord>(StoreKeys.Volumes, cancellationToken))
            .Select(v => v.Value).FirstOrDefault(v => v.AttachedTo == attachedTo && v.Name == name);
        if (existing is { Phase: VolumePhase.Created })
        {
            return existing;
        }

        var volume = existing ?? new VolumeRecord
        {
            Id = ResourceIds.New(ResourceIds.VolumePrefix),
            Name = name,
            Region = options.Region,
            SizeGb = sizeGb,
            CreatedAt = time.GetUtcNow(),
            AttachedTo = attachedTo,
        };
        return existing is null ? await CreateAndWaitAsync(volume, cancellationToken)
            : await WaitAsync(StoreKeys.Volume(volume.Id), (VolumeRecord? v) => v is null || v.Phase != VolumePhase.Pending, cancellationToken) ?? throw HangarException.NotFound("volume", volume.Id);
    }

    /// <summary>Destroys every volume attached to <paramref name="attachedTo"/> (the owner is being destroyed).</summary>
    public async Task DestroyAttachedAsync(string attachedTo, CancellationToken cancellationToken)
    {
        foreach (var volume in (await store.ListAsync<VolumeRecord>(StoreKeys.Volumes, cancellationToken)).Where(v => v.Value.AttachedTo == attachedTo))
        {
            await store.MutateAsync<VolumeRecord>(StoreKeys.Volume(volume.Value.Id), v => v with { AttachedTo = null, Phase = VolumePhase.Destroying }, cancellationToken);
        }

        reconciler.Trigger.Poke();
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

        reconciler.Trigger.Poke();
        await WaitAsync(StoreKeys.Volume(id), (VolumeRecord? v) => v is null, cancellationToken);
    }

    public async Task<SnapshotRecord> SnapshotAsync(string volumeId, bool scheduled, CancellationToken cancellationToken)
    {
        var volume = (await RequireAsync(volumeId, cancellationToken)).Value;
        if (volume.Phase != VolumePhase.Created)
        {
            throw HangarException.Precondition($"volume {volumeId} is {volume.Phase.ToString().ToLowerInvariant()}: only a created volume can be snapshotted");
        }

        var snapshot = VolumeReconciler.NewSnapshot(volume, scheduled, time.GetUtcNow());
        await store.CreateAsync(StoreKeys.Snapshot(snapshot.Id), snapshot, cancellationToken);
        reconciler.Trigger.Poke();
        var done = await WaitAsync(StoreKeys.Snapshot(snapshot.Id), (SnapshotRecord? s) => s is null || s.Ready || s.Error is not null, cancellationToken);
        if (done?.Error is { } error)
        {
            await store.Inner.DeleteAsync(StoreKeys.Snapshot(snapshot.Id), cancellationToken);
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
        reconciler.Trigger.Poke();
        var done = await WaitAsync(StoreKeys.Volume(volume.Id), (VolumeRecord? v) => v is null || v.Phase != VolumePhase.Pending, cancellationToken);
        if (done is { Phase: VolumePhase.Failed })
        {
            // Nothing half-made stays behind: the reconciler removed any directory; the record goes too.
            await store.Inner.DeleteAsync(StoreKeys.Volume(volume.Id), cancellationToken);
            throw HangarException.Precondition(done.Error ?? $"volume {volume.Id} could not be created");
        }

        return done ?? throw HangarException.NotFound("volume", volume.Id);
    }

    private async Task<Versioned<VolumeRecord>> RequireAsync(string id, CancellationToken cancellationToken)
    {
        if (!ResourceIds.IsValid(id, ResourceIds.VolumePrefix))
        {
            throw HangarException.Invalid($"invalid volume id '{id}': volume ids look like vol_xxxxxxxx");
        }

        return await store.GetAsync<VolumeRecord>(StoreKeys.Volume(id), cancellationToken) ?? throw HangarException.NotFound("volume", id);
    }

    private Task<T?> WaitAsync<T>(string key, Func<T?, bool> done, CancellationToken cancellationToken)
        where T : class =>
        store.WaitForAsync(key, done, WaitLimit, time, _ => $"{key} is still in progress", cancellationToken);

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
