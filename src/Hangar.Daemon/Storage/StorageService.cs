using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Ids;
using Hangar.Core.Names;
using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Reconcile;
using Hangar.ObjectStore.Admin;
using Hangar.State;
using Hangar.Supervision;

namespace Hangar.Daemon.Storage;

/// <summary>
/// `storage` verbs. Create, update, destroy and key changes write desired state and wait for <see cref="StorageReconciler"/>;
/// objects and bytes come from the S3 server itself. Secrets are returned once by create and never again.
/// </summary>
internal sealed partial class StorageService(
    RecordStore store,
    StorageSecrets secrets,
    StorageAdminClient admin,
    AttachmentService attachments,
    AppService apps,
    EmbeddedS3 s3,
    Supervisor supervisor,
    TimeProvider time)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);
    private readonly RecordWait _wait = new(store, time);
    private static readonly string[] AppVariables = ["BUCKET_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL_S3", "AWS_REGION", "AWS_CA_BUNDLE"];

    public async Task<StorageCreated> CreateAsync(StorageCreateRequest request, CancellationToken cancellationToken)
    {
        var name = request.Name ?? GenerateName();
        var problems = new ProblemList();
        problems.Add(BucketKeys.NameProblem(name));
        problems.Check(!BackupKeys.IsSystemBucket(name), $"invalid bucket name '{name}': names starting with '{BackupKeys.SystemBucketPrefix}' are Hangar's own");
        problems.Add(request.App is null ? null : ResourceNames.Problem("app", request.App));
        var shadow = Shadow(request, problems);
        problems.ThrowIfAny();

        if (request.App is { } app)
        {
            await apps.RequireAsync(app, cancellationToken);
            var existing = (await store.GetAsync<SecretsRecord>(StoreKeys.SecretsOf(app), cancellationToken))?.Value.Secrets;
            if (existing is not null && AppVariables.FirstOrDefault(existing.ContainsKey) is { } clash)
            {
                throw HangarException.Precondition($"app '{app}' already has a secret named {clash}: unset it first or create the bucket without -a");
            }
        }

        if (await store.Inner.GetAsync(BucketKeys.Bucket(name), cancellationToken) is not null || await admin.GetBucketAsync(name, cancellationToken) is not null)
        {
            throw HangarException.Exists("bucket", name);
        }

        var now = time.GetUtcNow();
        var secret = Passwords.New(40);
        var key = new StorageKeyRecord
        {
            Id = NewKeyId(),
            SecretCiphertext = string.Empty,
            Buckets = [name],
            ReadOnly = false,
            CreatedWith = name,
            CreatedAt = now,
        };
        key = key with { SecretCiphertext = secrets.EncryptKeySecret(key.Id, secret) };
        var bucket = new BucketRecord
        {
            Name = name,
            Public = request.Public,
            Shadow = shadow is null ? null : shadow with { SecretKeyCiphertext = secrets.EncryptShadowSecret(name, shadow.SecretKeyCiphertext) },
            App = request.App,
            AccessKeyId = key.Id,
            CreatedAt = now,
        };

        // Both records or neither: the reconciler never sees a bucket without its key.
        var txn = new StoreTxn(
            [new StoreCondition(BucketKeys.Bucket(name), 0), new StoreCondition(BucketKeys.StorageKey(key.Id), 0)],
            [new PutOp(BucketKeys.Bucket(name), RecordStore.Encode(bucket)), new PutOp(BucketKeys.StorageKey(key.Id), RecordStore.Encode(key))]);
        if (await store.Inner.TryCommitAsync(txn, cancellationToken) is null)
        {
            throw HangarException.Exists("bucket", name);
        }

        var done = await _wait.CreatedAsync<BucketRecord>(
            BucketKeys.Bucket(name),
            b => b.Phase == BucketPhase.Pending,
            b => b.Phase == BucketPhase.Failed ? b.Error ?? $"bucket '{name}' could not be created" : null,
            b => b with { Phase = BucketPhase.Destroying, Force = false },
            Limit,
            Busy,
            () => HangarException.NotFound("bucket", name),
            cancellationToken);

        var info = Info(done, await admin.GetBucketAsync(name, cancellationToken));
        return new StorageCreated(info, request.App is null ? new StorageCredentials(name, key.Id, secret, s3.EndpointUrl, s3.Region) : null);
    }

    public async Task<IReadOnlyList<BucketInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var records = (await store.ListAsync<BucketRecord>(BucketKeys.Prefix, cancellationToken)).Select(r => r.Value).Where(r => !BackupKeys.IsSystemBucket(r.Name)).ToList();
        var live = (await LiveAsync(cancellationToken))?.Where(b => !BackupKeys.IsSystemBucket(b.Key)).ToDictionary(StringComparer.Ordinal);
        var managed = records.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => Info(r, live?.GetValueOrDefault(r.Name)));
        var recorded = records.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var unmanaged = (live?.Values.AsEnumerable() ?? []).Where(b => !recorded.Contains(b.Name)).OrderBy(b => b.Name, StringComparer.Ordinal).Select(Unmanaged);
        return [.. managed, .. unmanaged];
    }

    public async Task<BucketInfo> ShowAsync(string name, CancellationToken cancellationToken)
    {
        RequireValidName(name);
        var record = (await store.GetAsync<BucketRecord>(BucketKeys.Bucket(name), cancellationToken))?.Value;
        var live = await admin.GetBucketAsync(name, cancellationToken);
        return record is not null ? Info(record, live)
            : live is not null ? Unmanaged(live)
            : throw HangarException.NotFound("bucket", name);
    }

    public async Task<BucketInfo> UpdateAsync(string name, StorageUpdateRequest request, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(BucketKeys.NameProblem(name));
        problems.Check(request.Public is not null || request.IndexDocument is not null || request.ErrorDocument is not null,
            "nothing to update: pass --public, --private, --index-document or --error-document");
        problems.Add(DocumentProblem("--index-document", request.IndexDocument));
        problems.Add(DocumentProblem("--error-document", request.ErrorDocument));
        problems.ThrowIfAny();

        await RequireReadyAsync(name, cancellationToken);
        var updated = await store.MutateAsync<BucketRecord>(BucketKeys.Bucket(name), b => b with
        {
            Public = request.Public ?? b.Public,
            IndexDocument = request.IndexDocument is null ? b.IndexDocument : request.IndexDocument.Length == 0 ? null : request.IndexDocument,
            ErrorDocument = request.ErrorDocument is null ? b.ErrorDocument : request.ErrorDocument.Length == 0 ? null : request.ErrorDocument,
            Generation = b.Generation + 1,
        }, cancellationToken) ?? throw HangarException.NotFound("bucket", name);

        var done = await _wait.UntilAsync<BucketRecord>(BucketKeys.Bucket(name), b => b is null || b.AppliedGeneration >= updated.Generation, Limit, Busy, cancellationToken) ?? throw HangarException.NotFound("bucket", name);
        return Info(done, await admin.GetBucketAsync(name, cancellationToken));
    }

    public async Task DestroyAsync(string name, bool force, CancellationToken cancellationToken)
    {
        RequireValidName(name);
        await store.RequireAsync<BucketRecord>(BucketKeys.Bucket(name), "bucket", name, cancellationToken);
        if (!force && await admin.GetBucketAsync(name, cancellationToken) is { Objects: > 0 } live)
        {
            throw HangarException.Precondition($"bucket '{name}' is not empty ({live.Objects} objects, {live.Bytes} bytes): delete them first, or pass --force to delete them with it");
        }

        // The reconciler removes the secrets, keys and bucket: a destroy cut short is finished by the next pass.
        await store.MutateAsync<BucketRecord>(BucketKeys.Bucket(name), b => b with { Phase = BucketPhase.Destroying, Force = force }, cancellationToken);
        await _wait.UntilAsync<BucketRecord>(BucketKeys.Bucket(name), b => b is null, Limit, Busy, cancellationToken);
    }

    public async Task<StorageKeyCreated> CreateKeyAsync(StorageKeyCreateRequest request, CancellationToken cancellationToken)
    {
        var buckets = request.Buckets.Distinct(StringComparer.Ordinal).ToList();
        var problems = new ProblemList();
        foreach (var bucket in buckets)
        {
            problems.Add(BucketKeys.NameProblem(bucket));
        }

        problems.ThrowIfAny();
        foreach (var bucket in buckets)
        {
            await RequireReadyAsync(bucket, cancellationToken);
        }

        var secret = Passwords.New(40);
        var id = NewKeyId();
        var key = new StorageKeyRecord
        {
            Id = id,
            SecretCiphertext = secrets.EncryptKeySecret(id, secret),
            Buckets = buckets,
            ReadOnly = request.ReadOnly,
            CreatedAt = time.GetUtcNow(),
        };
        if (!await store.CreateAsync(BucketKeys.StorageKey(id), key, cancellationToken))
        {
            throw HangarException.Exists("storage key", id);
        }

        var done = await _wait.UntilAsync<StorageKeyRecord>(BucketKeys.StorageKey(id), k => k is null || k.Phase != StorageKeyPhase.Pending, Limit, Busy, cancellationToken) ?? throw HangarException.NotFound("storage key", id);
        return new StorageKeyCreated(KeyInfo(done), secret, s3.EndpointUrl, s3.Region);
    }

    public async Task<IReadOnlyList<StorageKeyInfo>> ListKeysAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListAsync<StorageKeyRecord>(BucketKeys.StorageKeyPrefix, cancellationToken)).Select(k => k.Value).Where(k => !IsSystemKey(k)).OrderBy(k => k.CreatedAt).Select(KeyInfo)];

    public async Task RevokeKeyAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsKeyId(id))
        {
            throw HangarException.Invalid($"invalid access key id '{id}': expected HK followed by 18 letters and digits, as `storage keys list` shows");
        }

        var key = (await store.GetAsync<StorageKeyRecord>(BucketKeys.StorageKey(id), cancellationToken))?.Value is { } found && !IsSystemKey(found) ? found : throw HangarException.NotFound("storage key", id);
        if (key.CreatedWith is { } bucket && (await attachments.OfResourceAsync(BucketKeys.Kind, bucket, cancellationToken)).FirstOrDefault() is { } attachment)
        {
            throw HangarException.Precondition($"key {id} is the one app '{attachment.App}' uses for bucket '{bucket}': destroy the bucket, or give the app another key first");
        }

        await store.MutateAsync<StorageKeyRecord>(BucketKeys.StorageKey(id), k => k with { Phase = StorageKeyPhase.Revoking }, cancellationToken);
        await _wait.UntilAsync<StorageKeyRecord>(BucketKeys.StorageKey(id), k => k is null, Limit, Busy, cancellationToken);
    }

    /// <summary>The "storage" check of bucket <paramref name="name"/>; null when there is no such bucket.</summary>
    public async Task<IReadOnlyList<CheckInfo>?> ChecksAsync(string name, CancellationToken cancellationToken)
    {
        if (!BucketKeys.IsValidName(name) || (await store.GetAsync<BucketRecord>(BucketKeys.Bucket(name), cancellationToken))?.Value is not { } bucket)
        {
            return null;
        }

        var resource = BucketKeys.Owner(name);
        var now = time.GetUtcNow();
        var process = supervisor.Status(BucketKeys.ProcessName);
        if (process is null || process.State != ProcessState.Running)
        {
            return [new CheckInfo("storage", "critical", $"the s3 process is {process?.State.ToString().ToLowerInvariant() ?? "not supervised"}", resource, now)];
        }

        if (bucket.Phase != BucketPhase.Ready)
        {
            return [new CheckInfo("storage", "critical", $"bucket is {bucket.Phase.ToString().ToLowerInvariant()}", resource, now)];
        }

        try
        {
            return await admin.GetBucketAsync(name, cancellationToken) is { } live
                ? [new CheckInfo("storage", "passing", $"bucket served on {s3.EndpointUrl}: {live.Objects} objects, {live.Bytes} bytes", resource, now)]
                : [new CheckInfo("storage", "critical", "the S3 server has no such bucket (the reconciler will recreate it)", resource, now)];
        }
        catch (HangarException ex)
        {
            return [new CheckInfo("storage", "critical", ex.Message, resource, now)];
        }
    }

    private static BucketShadow? Shadow(StorageCreateRequest request, ProblemList problems)
    {
        if (request.ShadowBucket is null)
        {
            problems.Check(request.ShadowEndpoint is null && request.ShadowAccessKey is null && request.ShadowSecretKey is null && request.ShadowRegion is null && !request.ShadowWriteThrough,
                "--shadow-endpoint, --shadow-access-key, --shadow-secret-key, --shadow-region and --shadow-write-through need --shadow-bucket");
            return null;
        }

        var upstream = request.ShadowBucket.StartsWith("s3://", StringComparison.Ordinal) ? request.ShadowBucket["s3://".Length..].TrimEnd('/') : null;
        problems.Check(upstream is { Length: >= 3 and <= 63 } && !upstream.Contains('/', StringComparison.Ordinal),
            $"invalid --shadow-bucket '{request.ShadowBucket}': expected s3://BUCKET");
        problems.Check(Uri.TryCreate(request.ShadowEndpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https" && endpoint.Host.Length > 0,
            $"invalid --shadow-endpoint '{request.ShadowEndpoint}': expected an http(s):// URL of the upstream S3 service");
        problems.Check(!string.IsNullOrEmpty(request.ShadowAccessKey), "--shadow-bucket needs --shadow-access-key");
        problems.Check(!string.IsNullOrEmpty(request.ShadowSecretKey), "--shadow-bucket needs --shadow-secret-key");

        // The plain secret rides in the ciphertext field until CreateAsync encrypts it under the bucket's name.
        return new BucketShadow(upstream ?? string.Empty, request.ShadowEndpoint ?? string.Empty, request.ShadowAccessKey ?? string.Empty, request.ShadowSecretKey ?? string.Empty, request.ShadowRegion, request.ShadowWriteThrough);
    }

    private static string? DocumentProblem(string flag, string? document) =>
        document is { Length: > 0 } && (document.Contains('/', StringComparison.Ordinal) || document.Length > 255)
            ? $"invalid {flag} '{document}': a file name without '/'"
            : null;

    private static void RequireValidName(string name)
    {
        if (BucketKeys.NameProblem(name) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        RefuseSystemBucket(name);
    }

    private async Task RequireReadyAsync(string name, CancellationToken cancellationToken)
    {
        RequireValidName(name);
        var bucket = await store.RequireAsync<BucketRecord>(BucketKeys.Bucket(name), "bucket", name, cancellationToken);
        bucket.RequirePhase(bucket.Phase, BucketPhase.Ready, "bucket", name);
    }

    private async Task<Dictionary<string, AdminBucketInfo>?> LiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await admin.ListBucketsAsync(cancellationToken)).ToDictionary(b => b.Name, StringComparer.Ordinal);
        }
        catch (HangarException ex) when (ex.Code == ErrorCodes.Unavailable)
        {
            return null;
        }
    }

    private static BucketInfo Info(BucketRecord r, AdminBucketInfo? live) => new(
        r.Name,
        r.Phase.ToString().ToLowerInvariant(),
        r.Public,
        r.App,
        r.AccessKeyId,
        live?.Objects,
        live?.Bytes,
        r.Shadow is { } s ? new BucketShadowInfo(s.Bucket, s.Endpoint, s.AccessKey, s.Region, s.WriteThrough) : null,
        r.IndexDocument,
        r.ErrorDocument,
        Managed: true,
        OwnerKeyId: null,
        r.CreatedAt,
        r.Error);

    private static BucketInfo Unmanaged(AdminBucketInfo b) => new(
        b.Name,
        "ready",
        b.Public,
        App: null,
        AccessKeyId: null,
        b.Objects,
        b.Bytes,
        b.Shadow is { } s ? new BucketShadowInfo(s.Bucket, s.Endpoint, s.AccessKey, s.Region, s.WriteThrough) : null,
        b.IndexDocument,
        b.ErrorDocument,
        Managed: false,
        b.OwnerKeyId,
        b.CreatedAt,
        Error: null);

    private static StorageKeyInfo KeyInfo(StorageKeyRecord k) =>
        new(k.Id, k.Buckets, k.ReadOnly, k.CreatedWith, k.Phase.ToString().ToLowerInvariant(), k.CreatedAt);

    private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static string NewKeyId() => "HK" + System.Security.Cryptography.RandomNumberGenerator.GetString(KeyAlphabet, 18);

    private static bool IsKeyId(string id) => id.Length == 20 && id.StartsWith("HK", StringComparison.Ordinal) && id.AsSpan(2).IndexOfAnyExcept(KeyAlphabet) < 0;

    /// <summary>As flyctl: a readable name with a random suffix, so two generated names do not collide.</summary>
    private static string GenerateName() => "bucket-" + System.Security.Cryptography.RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 10);

    private static string Busy(BucketRecord? b) => $"bucket '{b?.Name}' is still {b?.Phase.ToString().ToLowerInvariant()}";

    private static string Busy(StorageKeyRecord? k) => $"storage key {k?.Id} is still {k?.Phase.ToString().ToLowerInvariant()}";
}
