using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.State;

namespace Hangar.Daemon.Storage;

/// <summary>
/// System buckets: made by the daemon for its own use (a Postgres cluster's pgBackRest repository), through the same
/// records and reconciler as any bucket, but under the reserved "hangar-" prefix, so apps never see, take or destroy them.
/// </summary>
internal sealed partial class StorageService
{
    /// <summary>The bucket and its scoped key, made if missing and waited on until ready; returns the key's id and secret.</summary>
    public async Task<(string KeyId, string Secret)> EnsureSystemBucketAsync(string name, CancellationToken cancellationToken)
    {
        if (!BackupKeys.IsSystemBucket(name) || BucketKeys.NameProblem(name) is not null)
        {
            throw new ArgumentException($"'{name}' is not a system bucket name", nameof(name));
        }

        var existing = (await store.GetAsync<BucketRecord>(BucketKeys.Bucket(name), cancellationToken))?.Value;
        if (existing is null)
        {
            var now = time.GetUtcNow();
            var id = NewKeyId();
            var key = new StorageKeyRecord
            {
                Id = id,
                SecretCiphertext = secrets.EncryptKeySecret(id, Core.Ids.Passwords.New(40)),
                Buckets = [name],
                ReadOnly = false,
                CreatedWith = name,
                CreatedAt = now,
            };
            var bucket = new BucketRecord { Name = name, Public = false, AccessKeyId = id, CreatedAt = now };
            var txn = new StoreTxn(
                [new StoreCondition(BucketKeys.Bucket(name), 0), new StoreCondition(BucketKeys.StorageKey(id), 0)],
                [new PutOp(BucketKeys.Bucket(name), RecordStore.Encode(bucket)), new PutOp(BucketKeys.StorageKey(id), RecordStore.Encode(key))]);

            // Lost to a concurrent ensure: that one's records are as good.
            _ = await store.Inner.TryCommitAsync(txn, cancellationToken);
        }

        var done = await _wait.UntilAsync<BucketRecord>(BucketKeys.Bucket(name), b => b is null || b.Phase != BucketPhase.Pending, Limit, Busy, cancellationToken);
        if (done is not { Phase: BucketPhase.Ready })
        {
            throw HangarException.Precondition($"system bucket '{name}' could not be made: {done?.Error ?? "its record went away"}");
        }

        var record = (await store.GetAsync<StorageKeyRecord>(BucketKeys.StorageKey(done.AccessKeyId), cancellationToken))?.Value
            ?? throw HangarException.Precondition($"system bucket '{name}' has lost its key {done.AccessKeyId}");
        return (record.Id, secrets.KeySecret(record));
    }

    /// <summary>Marks a system bucket for removal with its objects; the reconciler finishes it.</summary>
    public async Task DestroySystemBucketAsync(string name, CancellationToken cancellationToken)
    {
        if (BackupKeys.IsSystemBucket(name))
        {
            await store.MutateAsync<BucketRecord>(BucketKeys.Bucket(name), b => b.Phase == BucketPhase.Destroying ? null : b with { Phase = BucketPhase.Destroying, Force = true }, cancellationToken);
        }
    }

    private static void RefuseSystemBucket(string name)
    {
        if (BackupKeys.IsSystemBucket(name))
        {
            throw HangarException.Precondition($"bucket '{name}' is Hangar's own (a Postgres cluster's backups): it goes with its cluster, and `storage` commands leave it alone");
        }
    }

    private static bool IsSystemKey(StorageKeyRecord key) => key.CreatedWith is { } bucket && BackupKeys.IsSystemBucket(bucket);
}
