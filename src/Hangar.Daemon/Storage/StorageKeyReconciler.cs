using Hangar.Core.Resources;
using Hangar.Daemon.Reconcile;
using Hangar.ObjectStore.Admin;
using Hangar.State;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Storage;

/// <summary>
/// Makes the S3 server's access keys match the storage-key records, one step per key: put a pending or changed key,
/// remove a revoked one with its record; after each pass, a key in the S3 server without a record is removed.
/// </summary>
internal sealed partial class StorageKeyReconciler(
    IKeyValueStore kv,
    RecordStore store,
    StorageAdminClient admin,
    StorageSecrets secrets,
    ILogger<StorageKeyReconciler> logger,
    TimeProvider clock)
    : PhasedReconciler<StorageKeyRecord>(kv, store, logger, clock)
{
    protected override string Name => "storage-keys";

    protected override IReadOnlyList<string> WatchedPrefixes => [BucketKeys.StorageKeyPrefix];

    protected override string RecordPrefix => BucketKeys.StorageKeyPrefix;

    protected override string KeyOf(StorageKeyRecord record) => BucketKeys.StorageKey(record.Id);

    protected override string NameOf(StorageKeyRecord record) => record.Id;

    protected override string PhaseOf(StorageKeyRecord record) => record.Phase.ToString().ToLowerInvariant();

    protected override StepMark MarkOf(StorageKeyRecord record) => default;

    protected override StorageKeyRecord WithMark(StorageKeyRecord record, StepMark mark) => record;

    // A key never fails: a step that threw (the S3 server down) is retried.
    protected override Task FailAsync(StorageKeyRecord record, string reason, CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task<StepResult> StepAsync(StorageKeyRecord key, CancellationToken cancellationToken)
    {
        switch (key.Phase)
        {
            case StorageKeyPhase.Pending or StorageKeyPhase.Active:
                var live = (await admin.ListKeysAsync(cancellationToken)).FirstOrDefault(k => k.AccessKeyId == key.Id);
                var put = live is null || live.ReadOnly != key.ReadOnly || !live.Buckets.Order(StringComparer.Ordinal).SequenceEqual(key.Buckets.Order(StringComparer.Ordinal));
                if (put)
                {
                    await admin.PutKeyAsync(key.Id, new AdminKeyRequest(secrets.KeySecret(key), [.. key.Buckets], key.ReadOnly), cancellationToken);
                    Log.KeyPut(Logger, key.Id, key.Buckets.Count == 0 ? "owner key" : string.Join(",", key.Buckets), key.ReadOnly);
                }

                if (key.Phase == StorageKeyPhase.Pending)
                {
                    await Records.MutateAsync<StorageKeyRecord>(KeyOf(key), k => k.Phase == StorageKeyPhase.Pending ? k with { Phase = StorageKeyPhase.Active } : null, cancellationToken);
                }

                return StepResult.Done(put ? "put into the S3 server" : "in the S3 server, no action");
            case StorageKeyPhase.Revoking:
                await admin.DeleteKeyAsync(key.Id, cancellationToken);
                await Records.Inner.DeleteAsync(KeyOf(key), cancellationToken);
                Log.KeyRevoked(Logger, key.Id);
                return StepResult.Done("revoked");
            default:
                return StepResult.Done("no action");
        }
    }

    protected override async Task AfterPassAsync(IReadOnlyList<StorageKeyRecord> records, bool resync, CancellationToken cancellationToken)
    {
        // The S3 server first, then the records: a record written in between is never taken for an orphan.
        var live = await admin.ListKeysAsync(cancellationToken);
        var recorded = (await Records.ListAsync<StorageKeyRecord>(BucketKeys.StorageKeyPrefix, cancellationToken)).Select(k => k.Value.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in live.Select(k => k.AccessKeyId).Where(id => !recorded.Contains(id)))
        {
            await admin.DeleteKeyAsync(id, cancellationToken);
            Log.OrphanKeyRemoved(Logger, id);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(7107, LogLevel.Information, "storage key {Id}: put into the S3 server (buckets {Buckets}, read-only {ReadOnly})")]
        public static partial void KeyPut(ILogger logger, string id, string buckets, bool readOnly);

        [LoggerMessage(7108, LogLevel.Information, "storage key {Id}: revoked")]
        public static partial void KeyRevoked(ILogger logger, string id);

        [LoggerMessage(7109, LogLevel.Information, "storage key {Id}: in the S3 server without a record; removed")]
        public static partial void OrphanKeyRemoved(ILogger logger, string id);
    }
}
