using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Names;
using Hangar.Core.Resources;
using Hangar.Daemon.Reconcile;
using Hangar.State;

namespace Hangar.Daemon.Apps;

internal sealed class AppService(RecordStore store, TimeProvider time)
{
    public async Task<AppInfo> CreateAsync(string? name, CancellationToken cancellationToken)
    {
        if (ResourceNames.Problem("app", name) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        var app = new AppRecord(name!, time.GetUtcNow());

        // The app and its (empty) secrets record appear together or not at all; of two concurrent creates one wins.
        var txn = new StoreTxn(
            [new StoreCondition(StoreKeys.App(name!), 0)],
            [new PutOp(StoreKeys.App(name!), RecordStore.Encode(app)), new PutOp(StoreKeys.SecretsOf(name!), RecordStore.Encode(SecretsRecord.Empty(name!)))]);
        if (await store.Inner.TryCommitAsync(txn, cancellationToken) is null)
        {
            throw HangarException.Exists("app", name!);
        }

        return new AppInfo(app.Name, app.CreatedAt, 0, []);
    }

    public async Task<IReadOnlyList<AppInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var apps = await store.ListAsync<AppRecord>(StoreKeys.Apps, cancellationToken);
        var secrets = (await store.ListAsync<SecretsRecord>(StoreKeys.Secrets, cancellationToken)).ToDictionary(s => s.Value.App, s => s.Value.Secrets.Count, StringComparer.Ordinal);
        var attachments = await store.ListAsync<AttachmentRecord>(StoreKeys.Attachments, cancellationToken);
        return [.. apps.Select(a => new AppInfo(
            a.Value.Name,
            a.Value.CreatedAt,
            secrets.GetValueOrDefault(a.Value.Name),
            [.. attachments.Where(x => x.Value.App == a.Value.Name).Select(x => x.Value.Label)]))];
    }

    public async Task<AppRecord> RequireAsync(string? name, CancellationToken cancellationToken)
    {
        if (ResourceNames.Problem("app", name) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        return await store.RequireAsync<AppRecord>(StoreKeys.App(name!), "app", name!, cancellationToken);
    }

    public async Task DestroyAsync(string name, bool force, CancellationToken cancellationToken)
    {
        await RequireAsync(name, cancellationToken);
        var attached = await store.ListAsync<AttachmentRecord>(StoreKeys.AttachmentsOf(name), cancellationToken);
        var volumes = (await store.ListAsync<VolumeRecord>(StoreKeys.Volumes, cancellationToken)).Where(v => v.Value.App == name).ToList();
        if (!force && (attached.Count > 0 || volumes.Count > 0))
        {
            var what = attached.Select(a => a.Value.Label).Concat(volumes.Select(v => "volume:" + v.Value.Id));
            throw HangarException.Precondition($"app '{name}' has attached resources ({string.Join(", ", what)}): detach them first, or pass --force");
        }

        // With --force the app goes, but no data does: volumes stay, unowned, for `volumes destroy` to remove on purpose.
        foreach (var volume in volumes)
        {
            await store.MutateAsync<VolumeRecord>(StoreKeys.Volume(volume.Value.Id), v => v with { App = null }, cancellationToken);
        }

        await store.Inner.TryCommitAsync(
            new StoreTxn([], [new DeleteOp(StoreKeys.App(name)), new DeleteOp(StoreKeys.SecretsOf(name)), new DeletePrefixOp(StoreKeys.AttachmentsOf(name))]),
            cancellationToken);
    }
}
