using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Reconcile;
using Hangar.ObjectStore.Admin;
using Hangar.ObjectStore.Shadow;
using Hangar.State;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Storage;

/// <summary>
/// Makes the S3 server's buckets match the bucket records, one step per bucket. The S3 catalog owns the data; this
/// owns which buckets exist and their settings. Pending: put the bucket and its key, set the app's secrets, then
/// Ready (idempotent, so a create cut short by a killed daemon is finished by the next). Ready: put it again when it
/// is missing or differs. Failed: kept for its caller, then destroyed when nobody read it. Destroying: secrets,
/// keys, bucket, record. After each pass a bucket without a record is removed only when empty and not made by an
/// owner key through the S3 API, since objects are never deleted without a record saying so. Keys are
/// <see cref="StorageKeyReconciler"/>'s.
/// </summary>
internal sealed partial class StorageReconciler(
    IKeyValueStore kv,
    RecordStore store,
    StorageAdminClient admin,
    AttachmentService attachments,
    StorageSecrets secrets,
    ILogger<StorageReconciler> logger,
    TimeProvider clock)
    : PhasedReconciler<BucketRecord>(kv, store, logger, clock)
{
    protected override string Name => "storage";

    protected override IReadOnlyList<string> WatchedPrefixes => [BucketKeys.Prefix];

    protected override string RecordPrefix => BucketKeys.Prefix;

    protected override string KeyOf(BucketRecord record) => BucketKeys.Bucket(record.Name);

    protected override string NameOf(BucketRecord record) => record.Name;

    protected override string PhaseOf(BucketRecord record) => record.Phase.ToString().ToLowerInvariant();

    protected override StepMark MarkOf(BucketRecord record) => new(record.Step, record.StepSince);

    protected override BucketRecord WithMark(BucketRecord record, StepMark mark) => record with { Step = mark.SubPhase, StepSince = mark.Since };

    // The S3 server down is retried, not a failed create.
    protected override bool FailsOnError(BucketRecord record, Exception error) =>
        record.Phase == BucketPhase.Pending && error is not Core.Errors.HangarException { Code: Core.Errors.ErrorCodes.Unavailable };

    protected override string FailureReason(BucketRecord record, Exception error) => error.Message;

    protected override async Task FailAsync(BucketRecord bucket, string reason, CancellationToken cancellationToken)
    {
        Log.ProvisionFailed(Logger, bucket.Name, reason);
        await TearDownAsync(bucket with { Force = false }, cancellationToken, keepForeignBucket: true);
        await Records.MutateAsync<BucketRecord>(KeyOf(bucket), b => b.Phase == BucketPhase.Pending ? b with { Phase = BucketPhase.Failed, Error = reason, FailedAt = Time.GetUtcNow() } : null, cancellationToken);
    }

    protected override async Task<StepResult> StepAsync(BucketRecord bucket, CancellationToken cancellationToken)
    {
        switch (bucket.Phase)
        {
            case BucketPhase.Pending:
                return await ProvisionAsync(bucket, cancellationToken);
            case BucketPhase.Ready:
                var live = await admin.GetBucketAsync(bucket.Name, cancellationToken);
                if (live is null || bucket.AppliedGeneration < bucket.Generation || Differs(bucket, live))
                {
                    await PutAsync(bucket, cancellationToken);
                    var generation = bucket.Generation;
                    await Records.MutateAsync<BucketRecord>(KeyOf(bucket), b => b with { AppliedGeneration = Math.Max(b.AppliedGeneration, generation) }, cancellationToken);
                    var action = live is null ? "recreated (missing in the S3 server)" : "settings applied";
                    Log.BucketApplied(Logger, bucket.Name, action, bucket.Public ? "public" : "private");
                    return StepResult.Done(action);
                }

                return StepResult.Done("in the S3 server as recorded, no action");
            case BucketPhase.Destroying:
                return await DestroyAfterAsync(bucket, () => TearDownAsync(bucket, cancellationToken), "app secrets, keys, bucket", cancellationToken);
            case BucketPhase.Failed:
                // Force stays off: objects are never deleted without a record saying so.
                return await AbandonUnreadFailureAsync(
                    bucket, bucket.FailedAt, b => b.Phase == BucketPhase.Failed ? b with { Phase = BucketPhase.Destroying, Force = false } : null, cancellationToken);
            default:
                return StepResult.Done("no action");
        }
    }

    protected override async Task AfterPassAsync(IReadOnlyList<BucketRecord> records, bool resync, CancellationToken cancellationToken)
    {
        // The S3 server first, then the records: a record written in between is never taken for an orphan.
        var live = await admin.ListBucketsAsync(cancellationToken);
        var recorded = (await Records.ListAsync<BucketRecord>(BucketKeys.Prefix, cancellationToken)).Select(b => b.Value.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in live.Where(b => b.OwnerKeyId is null && !recorded.Contains(b.Name)))
        {
            if (orphan.Objects == 0)
            {
                await admin.DeleteBucketAsync(orphan.Name, force: false, cancellationToken);
                Log.OrphanBucketRemoved(Logger, orphan.Name);
            }
            else if (resync)
            {
                Log.OrphanBucketKept(Logger, orphan.Name, orphan.Objects);
            }
        }
    }

    private async Task<StepResult> ProvisionAsync(BucketRecord bucket, CancellationToken cancellationToken)
    {
        if (await admin.GetBucketAsync(bucket.Name, cancellationToken) is { OwnerKeyId: { } owner })
        {
            throw new InvalidOperationException($"bucket '{bucket.Name}' already exists in the S3 server, made by key {owner}");
        }

        await PutAsync(bucket, cancellationToken);
        var key = (await Records.GetAsync<StorageKeyRecord>(BucketKeys.StorageKey(bucket.AccessKeyId), cancellationToken))?.Value
            ?? throw new InvalidOperationException($"the key {bucket.AccessKeyId} of bucket '{bucket.Name}' has no record");
        await admin.PutKeyAsync(key.Id, new AdminKeyRequest(secrets.KeySecret(key), [.. key.Buckets], key.ReadOnly), cancellationToken);
        if (bucket.App is { } app && (await attachments.OfResourceAsync(BucketKeys.Kind, bucket.Name, cancellationToken)).All(a => a.App != app))
        {
            await attachments.AttachAsync(app, BucketKeys.Kind, bucket.Name, secrets.AppSecrets(bucket.Name, key), cancellationToken);
        }

        await Records.MutateAsync<StorageKeyRecord>(BucketKeys.StorageKey(bucket.AccessKeyId), k => k.Phase == StorageKeyPhase.Pending ? k with { Phase = StorageKeyPhase.Active } : null, cancellationToken);
        await Records.MutateAsync<BucketRecord>(KeyOf(bucket), b => b.Phase == BucketPhase.Pending ? b with { Phase = BucketPhase.Ready, AppliedGeneration = b.Generation } : null, cancellationToken);
        Log.Provisioned(Logger, bucket.Name, bucket.Public ? "public" : "private", bucket.App ?? "no app");
        return StepResult.Done("bucket and key put, ready");
    }

    /// <summary>Secrets on apps, keys, then the bucket; safe to run again and on a half-made bucket.</summary>
    private async Task TearDownAsync(BucketRecord bucket, CancellationToken cancellationToken, bool keepForeignBucket = false)
    {
        foreach (var attachment in await attachments.OfResourceAsync(BucketKeys.Kind, bucket.Name, cancellationToken))
        {
            await attachments.DetachAsync(attachment.App, BucketKeys.Kind, bucket.Name, cancellationToken);
        }

        // Keys scoped to it lose it; one left with no bucket at all would become an owner key, so it goes instead.
        foreach (var entry in await Records.ListAsync<StorageKeyRecord>(BucketKeys.StorageKeyPrefix, cancellationToken))
        {
            var key = entry.Value;
            if (key.CreatedWith == bucket.Name || key.Buckets.Count == 1 && key.Buckets[0] == bucket.Name)
            {
                await admin.DeleteKeyAsync(key.Id, cancellationToken);
                await Records.Inner.DeleteAsync(BucketKeys.StorageKey(key.Id), cancellationToken);
            }
            else if (key.Buckets.Contains(bucket.Name))
            {
                await Records.MutateAsync<StorageKeyRecord>(BucketKeys.StorageKey(key.Id), k => k with { Buckets = [.. k.Buckets.Where(b => b != bucket.Name)] }, cancellationToken);
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
            bucket.Shadow is { } s ? new ShadowConfig(s.Bucket, s.Endpoint, s.AccessKey, secrets.ShadowSecret(bucket.Name, s), s.Region, s.WriteThrough) : null), cancellationToken);

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

        [LoggerMessage(7104, LogLevel.Information, "storage {Name}: {Action}, now {Access}")]
        public static partial void BucketApplied(ILogger logger, string name, string action, string access);

        [LoggerMessage(7110, LogLevel.Information, "storage {Name}: empty bucket in the S3 server without a record; removed")]
        public static partial void OrphanBucketRemoved(ILogger logger, string name);

        [LoggerMessage(7111, LogLevel.Warning, "storage {Name}: bucket in the S3 server has no record but holds {Objects} objects; kept, no action")]
        public static partial void OrphanBucketKept(ILogger logger, string name, long objects);
    }
}
