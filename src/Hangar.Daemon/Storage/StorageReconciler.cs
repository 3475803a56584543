using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Reconcile;
using Hangar.Daemon.Security;
using Hangar.ObjectStore.Admin;
using Hangar.ObjectStore.Shadow;
using Hangar.State;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Storage;

/// <summary>
/// Makes the S3 server's buckets and keys match the bucket and storage-key records. The S3 catalog owns the data;
/// this owns which buckets and keys exist and their settings. Pending bucket: put the bucket and its key, set the
/// app's secrets, then Ready (each step idempotent, so a create cut short by a killed daemon is finished by the next).
/// Destroying: secrets, keys, bucket, record. A key with no record is removed; a bucket with no record is removed only
/// when empty and not made by an owner key through the S3 API, since objects are never deleted without a record saying so.
/// </summary>
internal sealed partial class StorageReconciler(
    IKeyValueStore kv,
    RecordStore store,
    StorageAdminClient admin,
    AttachmentService attachments,
    EmbeddedS3 s3,
    SecretBox box,
    ILogger<StorageReconciler> logger,
    TimeProvider clock)
    : ReconcileLoop(kv, logger, clock)
{
    private static readonly TimeSpan AbandonedFailure = TimeSpan.FromMinutes(1);

    protected override string Name => "storage";

    protected override IReadOnlyList<string> WatchedPrefixes => [BucketKeys.Prefix, BucketKeys.StorageKeyPrefix];

    public string EncryptKeySecret(string id, string secret) => box.Encrypt(StorageKeyRecord.SecretOwner(id), "secret", secret);

    public string KeySecret(StorageKeyRecord key) => box.Decrypt(StorageKeyRecord.SecretOwner(key.Id), "secret", key.SecretCiphertext);

    public string EncryptShadowSecret(string bucket, string secret) => box.Encrypt(BucketKeys.Owner(bucket), "shadow-secret", secret);

    /// <summary>
    /// The secrets `storage create -a APP` sets, under Fly's names, and AWS_CA_BUNDLE (read by the AWS CLI, boto3 and
    /// the Go SDK) when the S3 server's HTTPS certificate comes from the platform CA, so an app that switches to the
    /// HTTPS endpoint verifies it. The endpoint stays plain HTTP: SDKs that ignore AWS_CA_BUNDLE keep working.
    /// </summary>
    public Dictionary<string, string> AppSecrets(string bucket, StorageKeyRecord key)
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BUCKET_NAME"] = bucket,
            ["AWS_ACCESS_KEY_ID"] = key.Id,
            ["AWS_SECRET_ACCESS_KEY"] = KeySecret(key),
            ["AWS_ENDPOINT_URL_S3"] = s3.EndpointUrl,
            ["AWS_REGION"] = s3.Region,
        };
        if (s3.CaBundle is { } bundle)
        {
            secrets["AWS_CA_BUNDLE"] = bundle;
        }

        return secrets;
    }

    protected override async Task PassAsync(bool resync, CancellationToken cancellationToken)
    {
        var buckets = await store.ListAsync<BucketRecord>(BucketKeys.Prefix, cancellationToken);
        var keys = await store.ListAsync<StorageKeyRecord>(BucketKeys.StorageKeyPrefix, cancellationToken);
        var liveBuckets = (await admin.ListBucketsAsync(cancellationToken)).ToDictionary(b => b.Name, StringComparer.Ordinal);
        var liveKeys = (await admin.ListKeysAsync(cancellationToken)).ToDictionary(k => k.AccessKeyId, StringComparer.Ordinal);

        // Keys first: a Pending bucket's key must be in the S3 server before its secrets reach the app.
        foreach (var key in keys.Select(k => k.Value))
        {
            try
            {
                await KeyAsync(key, liveKeys.GetValueOrDefault(key.Id), cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.KeyStepFailed(Logger, key.Id, key.Phase.ToString().ToLowerInvariant(), ex.Message);
            }
        }

        foreach (var bucket in buckets.Select(b => b.Value))
        {
            try
            {
                await BucketAsync(bucket, liveBuckets.GetValueOrDefault(bucket.Name), cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.BucketStepFailed(Logger, bucket.Name, bucket.Phase.ToString().ToLowerInvariant(), ex.Message);
            }
        }

        // Orphans: read the records again, so a record written during this pass is never taken for an orphan.
        var recordedKeys = (await store.ListAsync<StorageKeyRecord>(BucketKeys.StorageKeyPrefix, cancellationToken)).Select(k => k.Value.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in liveKeys.Keys.Where(id => !recordedKeys.Contains(id)))
        {
            await admin.DeleteKeyAsync(id, cancellationToken);
            Log.OrphanKeyRemoved(Logger, id);
        }

        var recordedBuckets = (await store.ListAsync<BucketRecord>(BucketKeys.Prefix, cancellationToken)).Select(b => b.Value.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var live in liveBuckets.Values.Where(b => b.OwnerKeyId is null && !recordedBuckets.Contains(b.Name)))
        {
            if (live.Objects == 0)
            {
                await admin.DeleteBucketAsync(live.Name, force: false, cancellationToken);
                Log.OrphanBucketRemoved(Logger, live.Name);
            }
            else if (resync)
            {
                Log.OrphanBucketKept(Logger, live.Name, live.Objects);
            }
        }
    }

    private async Task KeyAsync(StorageKeyRecord key, AdminKeyInfo? live, CancellationToken cancellationToken)
    {
        switch (key.Phase)
        {
            case StorageKeyPhase.Pending or StorageKeyPhase.Active:
                if (live is null || live.ReadOnly != key.ReadOnly || !live.Buckets.Order(StringComparer.Ordinal).SequenceEqual(key.Buckets.Order(StringComparer.Ordinal)))
                {
                    await admin.PutKeyAsync(key.Id, new AdminKeyRequest(KeySecret(key), [.. key.Buckets], key.ReadOnly), cancellationToken);
                    Log.KeyPut(Logger, key.Id, key.Buckets.Count == 0 ? "owner key" : string.Join(",", key.Buckets), key.ReadOnly);
                }

                if (key.Phase == StorageKeyPhase.Pending)
                {
                    await store.MutateAsync<StorageKeyRecord>(BucketKeys.StorageKey(key.Id), k => k.Phase == StorageKeyPhase.Pending ? k with { Phase = StorageKeyPhase.Active } : null, cancellationToken);
                }

                break;
            case StorageKeyPhase.Revoking:
                await admin.DeleteKeyAsync(key.Id, cancellationToken);
                await Store.DeleteAsync(BucketKeys.StorageKey(key.Id), cancellationToken);
                Log.KeyRevoked(Logger, key.Id);
                break;
        }
    }

    private async Task BucketAsync(BucketRecord bucket, AdminBucketInfo? live, CancellationToken cancellationToken)
    {
        switch (bucket.Phase)
        {
            case BucketPhase.Pending:
                await ProvisionAsync(bucket, live, cancellationToken);
                break;
            case BucketPhase.Ready:
                if (live is null || bucket.AppliedGeneration < bucket.Generation || Differs(bucket, live))
                {
                    await PutAsync(bucket, cancellationToken);
                    var generation = bucket.Generation;
                    await store.MutateAsync<BucketRecord>(BucketKeys.Bucket(bucket.Name), b => b with { AppliedGeneration = Math.Max(b.AppliedGeneration, generation) }, cancellationToken);
                    Log.BucketApplied(Logger, bucket.Name, live is null ? "recreated (missing in the S3 server)" : "settings applied", bucket.Public ? "public" : "private");
                }

                break;
            case BucketPhase.Destroying:
                await TearDownAsync(bucket, cancellationToken);
                await Store.DeleteAsync(BucketKeys.Bucket(bucket.Name), cancellationToken);
                Log.BucketDestroyed(Logger, bucket.Name);
                break;
            case BucketPhase.Failed when bucket.FailedAt is { } failedAt && Time.GetUtcNow() - failedAt > AbandonedFailure:
                // The create that saw the failure would have deleted the record; it died, so we do.
                await TearDownAsync(bucket with { Force = false }, cancellationToken);
                await Store.DeleteAsync(BucketKeys.Bucket(bucket.Name), cancellationToken);
                Log.AbandonedFailure(Logger, bucket.Name);
                break;
        }
    }

    private async Task ProvisionAsync(BucketRecord bucket, AdminBucketInfo? live, CancellationToken cancellationToken)
    {
        try
        {
            if (live is { OwnerKeyId: { } owner })
            {
                throw new InvalidOperationException($"bucket '{bucket.Name}' already exists in the S3 server, made by key {owner}");
            }

            await PutAsync(bucket, cancellationToken);
            var key = (await store.GetAsync<StorageKeyRecord>(BucketKeys.StorageKey(bucket.AccessKeyId), cancellationToken))?.Value
                ?? throw new InvalidOperationException($"the key {bucket.AccessKeyId} of bucket '{bucket.Name}' has no record");
            await admin.PutKeyAsync(key.Id, new AdminKeyRequest(KeySecret(key), [.. key.Buckets], key.ReadOnly), cancellationToken);
            if (bucket.App is { } app && (await attachments.OfResourceAsync(BucketKeys.Kind, bucket.Name, cancellationToken)).All(a => a.App != app))
            {
                await attachments.AttachAsync(app, BucketKeys.Kind, bucket.Name, AppSecrets(bucket.Name, key), cancellationToken);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not Core.Errors.HangarException { Code: Core.Errors.ErrorCodes.Unavailable })
        {
            Log.ProvisionFailed(Logger, bucket.Name, ex.Message);
            await TearDownAsync(bucket with { Force = false }, cancellationToken, keepForeignBucket: true);
            await store.MutateAsync<BucketRecord>(BucketKeys.Bucket(bucket.Name), b => b with { Phase = BucketPhase.Failed, Error = ex.Message, FailedAt = Time.GetUtcNow() }, cancellationToken);
            return;
        }

        await store.MutateAsync<StorageKeyRecord>(BucketKeys.StorageKey(bucket.AccessKeyId), k => k.Phase == StorageKeyPhase.Pending ? k with { Phase = StorageKeyPhase.Active } : null, cancellationToken);
        await store.MutateAsync<BucketRecord>(BucketKeys.Bucket(bucket.Name), b => b.Phase == BucketPhase.Pending ? b with { Phase = BucketPhase.Ready, AppliedGeneration = b.Generation } : null, cancellationToken);
        Log.Provisioned(Logger, bucket.Name, bucket.Public ? "public" : "private", bucket.App ?? "no app");
    }

    /// <summary>Secrets on apps, keys, then the bucket; safe to run again and on a half-made bucket.</summary>
    private async Task TearDownAsync(BucketRecord bucket, CancellationToken cancellationToken, bool keepForeignBucket = false)
    {
        foreach (var attachment in await attachments.OfResourceAsync(BucketKeys.Kind, bucket.Name, cancellationToken))
        {
            await attachments.DetachAsync(attachment.App, BucketKeys.Kind, bucket.Name, cancellationToken);
        }

        // Keys scoped to it lose it; one left with no bucket at all would become an owner key, so it goes instead.
        foreach (var entry in await store.ListAsync<StorageKeyRecord>(BucketKeys.StorageKeyPrefix, cancellationToken))
        {
            var key = entry.Value;
            if (key.CreatedWith == bucket.Name || key.Buckets.Count == 1 && key.Buckets[0] == bucket.Name)
            {
                await admin.DeleteKeyAsync(key.Id, cancellationToken);
                await Store.DeleteAsync(BucketKeys.StorageKey(key.Id), cancellationToken);
            }
            else if (key.Buckets.Contains(bucket.Name))
            {
                await store.MutateAsync<StorageKeyRecord>(BucketKeys.StorageKey(key.Id), k => k with { Buckets = [.. k.Buckets.Where(b => b != bucket.Name)] }, cancellationToken);
            }
        }

        var live = await admin.GetBucketAsync(bucket.Name, cancellationToken);
        if (live is not null && !(keepForeignBucket && live.OwnerKeyId is not null))
        {
            await admin.DeleteBucketAsync(bucket.Name, bucket.Force, cancellationToken);
        }
    }

    private Task PutAsync(BucketRecord bucket, CancellationToken cancellationToken) =>
        admin.PutBucketAsync(bucket.Name, new AdminBucketRequest(
            bucket.Public,
            OwnerKeyId: null,
            bucket.IndexDocument,
            bucket.ErrorDocument,
            bucket.Shadow is { } s ? new ShadowConfig(s.Bucket, s.Endpoint, s.AccessKey, box.Decrypt(BucketKeys.Owner(bucket.Name), "shadow-secret", s.SecretKeyCiphertext), s.Region, s.WriteThrough) : null), cancellationToken);

    private static bool Differs(BucketRecord bucket, AdminBucketInfo live) =>
        live.Public != bucket.Public || live.IndexDocument != bucket.IndexDocument || live.ErrorDocument != bucket.ErrorDocument || live.OwnerKeyId is not null
        || (live.Shadow is null) != (bucket.Shadow is null)
        || live.Shadow is { } s && bucket.Shadow is { } d && (s.Bucket != d.Bucket || s.Endpoint != d.Endpoint || s.AccessKey != d.AccessKey || s.Region != d.Region || s.WriteThrough != d.WriteThrough);

    private static partial class Log
    {
        [LoggerMessage(7101, LogLevel.Information, "storage {Name}: bucket ready ({Access}), credentials for {App}")]
        public static partial void Provisioned(ILogger logger, string name, string access, string app);

        [LoggerMessage(7102, LogLevel.Warning, "storage {Name}: create failed, removed what was made: {Reason}")]
        public static partial void ProvisionFailed(ILogger logger, string name, string reason);

        [LoggerMessage(7103, LogLevel.Information, "storage {Name}: destroyed (app secrets, keys, bucket)")]
        public static partial void BucketDestroyed(ILogger logger, string name);

        [LoggerMessage(7104, LogLevel.Information, "storage {Name}: {Action}, now {Access}")]
        public static partial void BucketApplied(ILogger logger, string name, string action, string access);

        [LoggerMessage(7105, LogLevel.Warning, "storage {Name}: {Phase} step failed, retrying next pass: {Reason}")]
        public static partial void BucketStepFailed(ILogger logger, string name, string phase, string reason);

        [LoggerMessage(7106, LogLevel.Warning, "storage key {Id}: {Phase} step failed, retrying next pass: {Reason}")]
        public static partial void KeyStepFailed(ILogger logger, string id, string phase, string reason);

        [LoggerMessage(7107, LogLevel.Information, "storage key {Id}: put into the S3 server (buckets {Buckets}, read-only {ReadOnly})")]
        public static partial void KeyPut(ILogger logger, string id, string buckets, bool readOnly);

        [LoggerMessage(7108, LogLevel.Information, "storage key {Id}: revoked")]
        public static partial void KeyRevoked(ILogger logger, string id);

        [LoggerMessage(7109, LogLevel.Information, "storage key {Id}: in the S3 server without a record; removed")]
        public static partial void OrphanKeyRemoved(ILogger logger, string id);

        [LoggerMessage(7110, LogLevel.Information, "storage {Name}: empty bucket in the S3 server without a record; removed")]
        public static partial void OrphanBucketRemoved(ILogger logger, string name);

        [LoggerMessage(7111, LogLevel.Warning, "storage {Name}: bucket in the S3 server has no record but holds {Objects} objects; kept, no action")]
        public static partial void OrphanBucketKept(ILogger logger, string name, long objects);

        [LoggerMessage(7112, LogLevel.Information, "storage {Name}: failed create was abandoned by its caller; removed its record")]
        public static partial void AbandonedFailure(ILogger logger, string name);
    }
}
