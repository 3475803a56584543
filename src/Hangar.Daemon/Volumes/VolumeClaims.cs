using Hangar.Core.Ids;
using Hangar.Core.Resources;
using Hangar.Daemon.Hosting;
using Hangar.State;

namespace Hangar.Daemon.Volumes;

/// <summary>
/// Volumes owned by a resource (a Postgres node, a Redis instance), asked for as desired state: a claim writes a
/// Pending record attached to its owner (so users cannot destroy it under the owner) and returns at once; the volume
/// reconciler makes it, and the owner's reconcile step requeues until it is Created. Nothing here waits.
/// </summary>
internal sealed class VolumeClaims(RecordStore store, DaemonOptions options, TimeProvider time)
{
    /// <summary>The volume <paramref name="name"/> of <paramref name="attachedTo"/>, requested when there is none yet; idempotent for steps that run again.</summary>
    public async Task<VolumeRecord> ClaimAsync(string name, int sizeGb, string attachedTo, CancellationToken cancellationToken)
    {
        var existing = (await store.ListAsync<VolumeRecord>(StoreKeys.Volumes, cancellationToken))
            .Select(v => v.Value).FirstOrDefault(v => v.AttachedTo == attachedTo && v.Name == name);
        if (existing is not null)
        {
            return existing;
        }

        var volume = new VolumeRecord
        {
            Id = ResourceIds.New(ResourceIds.VolumePrefix),
            Name = name,
            Region = options.Region,
            SizeGb = sizeGb,
            CreatedAt = time.GetUtcNow(),
            AttachedTo = attachedTo,
        };
        await store.CreateAsync(StoreKeys.Volume(volume.Id), volume, cancellationToken);
        return volume;
    }

    public async Task<VolumeRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await store.GetAsync<VolumeRecord>(StoreKeys.Volume(id), cancellationToken))?.Value;

    /// <summary>Marks every volume of <paramref name="attachedTo"/> for destruction (the owner is going); the volume reconciler removes them.</summary>
    public async Task ReleaseAsync(string attachedTo, CancellationToken cancellationToken)
    {
        foreach (var volume in (await store.ListAsync<VolumeRecord>(StoreKeys.Volumes, cancellationToken)).Where(v => v.Value.AttachedTo == attachedTo))
        {
            await store.MutateAsync<VolumeRecord>(StoreKeys.Volume(volume.Value.Id), v => v with { AttachedTo = null, Phase = VolumePhase.Destroying }, cancellationToken);
        }
    }
}
