using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hangar.Core.Errors;
using Hangar.ObjectStore.Auth;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Metrics;
using Hangar.ObjectStore.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hangar.ObjectStore.Admin;

/// <summary>
/// The daemon's management API under /_hangar/admin/ (buckets, keys) plus /_hangar/metrics, on the
/// S3 listener, authenticated with the bearer token from --admin-token-file. The catalog is the
/// authority; the daemon reconciles its desired state into it with these idempotent calls.
/// </summary>
internal sealed class AdminApi(StoreRegistry stores, S3Metrics metrics, byte[]? tokenHash, TimeProvider time, ILogger<AdminApi> logger)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static byte[] HashToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim()));

    /// <summary>SHA-256 of the read-only metrics token, which /_hangar/metrics takes as well as the admin token.</summary>
    public byte[]? MetricsTokenHash { get; init; }

    public async Task HandleAsync(HttpContext context, string path)
    {
        if (path == "/_hangar/metrics" && Authorized(context.Request, MetricsTokenHash))
        {
            context.Response.ContentType = Core.Metrics.PrometheusExporter.ContentType;
            await context.Response.WriteAsync(metrics.ToPrometheus(), context.RequestAborted);
            return;
        }

        if (!Authorized(context.Request, tokenHash))
        {
            await ErrorAsync(context, 401, ErrorCodes.Unauthorized, "A valid admin bearer token is required.");
            return;
        }
        var method = context.Request.Method;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        // segments[0] == "_hangar"
        switch (segments)
        {
            case [_, "metrics"] when HttpMethods.IsGet(method):
                context.Response.ContentType = Core.Metrics.PrometheusExporter.ContentType;
                await context.Response.WriteAsync(metrics.ToPrometheus(), context.RequestAborted);
                return;
            case [_, "admin", "buckets"] when HttpMethods.IsGet(method):
                await WriteJsonAsync(context, 200, stores.Catalog.Snapshot.Buckets.Values.OrderBy(b => b.Name, StringComparer.Ordinal).Select(Info).ToList());
                return;
            case [_, "admin", "buckets", var name]:
                await BucketAsync(context, method, name);
                return;
            case [_, "admin", "keys"] when HttpMethods.IsGet(method):
                await WriteJsonAsync(context, 200, stores.Catalog.Snapshot.Keys.Values.OrderBy(k => k.AccessKeyId, StringComparer.Ordinal)
                    .Select(k => new AdminKeyInfo(k.AccessKeyId, k.Buckets, k.ReadOnly)).ToList());
                return;
            case [_, "admin", "keys", var id]:
                await KeyAsync(context, method, id);
                return;
            default:
                await ErrorAsync(context, 404, ErrorCodes.NotFound, $"No admin route {method} {path}.");
                return;
        }
    }

    private async Task BucketAsync(HttpContext context, string method, string name)
    {
        var catalog = stores.Catalog;
        var existing = catalog.Snapshot.Buckets.GetValueOrDefault(name);
        if (HttpMethods.IsGet(method))
        {
            if (existing is null)
            {
                await ErrorAsync(context, 404, ErrorCodes.NotFound, $"Bucket {name} does not exist.");
                return;
            }
            await WriteJsonAsync(context, 200, Info(existing));
            return;
        }
        if (HttpMethods.IsPut(method))
        {
            if (!BucketNames.IsValid(name))
            {
                await ErrorAsync(context, 400, ErrorCodes.InvalidArgument, $"Bucket name {name} is not valid: use 3-63 characters a-z, 0-9, '.', '-'.");
                return;
            }
            var body = await ReadJsonAsync<AdminBucketRequest>(context);
            if (body is null)
            {
                await ErrorAsync(context, 400, ErrorCodes.InvalidArgument, "The body must be a JSON bucket object.");
                return;
            }
            var problems = new List<string>();
            if (body.Shadow is { } s && (string.IsNullOrEmpty(s.Bucket) || !Uri.TryCreate(s.Endpoint, UriKind.Absolute, out _) || string.IsNullOrEmpty(s.AccessKey) || string.IsNullOrEmpty(s.SecretKey)))
            {
                problems.Add("shadow needs bucket, an absolute endpoint URL, accessKey and secretKey");
            }
            if (body.IndexDocument is { } idx && (idx.Length == 0 || idx.Contains('/')))
            {
                problems.Add("indexDocument must be a file name without '/'");
            }
            if (problems.Count > 0)
            {
                await ErrorAsync(context, 400, ErrorCodes.InvalidArgument, string.Join("; ", problems));
                return;
            }
            var record = existing is null
                ? new BucketRecord(name, Http.S3Handler.NewBucketId(), body.Public, body.OwnerKeyId, body.IndexDocument, body.ErrorDocument,
                    body.Shadow, VersioningState.Unversioned, null, time.GetUtcNow()) { Lifecycle = Lifecycle.LifecycleDefaults.ForNewBucket }
                : existing with
                {
                    Public = body.Public, OwnerKeyId = body.OwnerKeyId, IndexDocument = body.IndexDocument,
                    ErrorDocument = body.ErrorDocument, Shadow = body.Shadow,
                    // Flipping the public switch (or the owner) is the canned ACL public-read/private; re-sending the
                    // same settings keeps whatever grants S3 clients added.
                    Acl = existing.Public == body.Public && existing.OwnerKeyId == body.OwnerKeyId ? existing.Acl : null,
                };
            catalog.PutBucket(record);
            Log.AdminChange(logger, existing is null ? "created bucket" : "updated bucket", name);
            await WriteJsonAsync(context, existing is null ? 201 : 200, Info(catalog.Snapshot.Buckets[name]));
            return;
        }
        if (HttpMethods.IsDelete(method))
        {
            if (existing is null)
            {
                await ErrorAsync(context, 404, ErrorCodes.NotFound, $"Bucket {name} does not exist.");
                return;
            }
            var force = context.Request.Query["force"] == "true";
            if (!force && !stores.Get(existing).Index.IsEmpty())
            {
                await ErrorAsync(context, 409, ErrorCodes.FailedPrecondition, $"Bucket {name} is not empty; delete with force=true to remove its objects too.");
                return;
            }
            catalog.DeleteBucket(name);
            await stores.DropAsync(existing);
            Log.AdminChange(logger, "deleted bucket", name);
            context.Response.StatusCode = 204;
            return;
        }
        await ErrorAsync(context, 405, ErrorCodes.InvalidArgument, $"{method} is not allowed on a bucket.");
    }

    private async Task KeyAsync(HttpContext context, string method, string id)
    {
        var catalog = stores.Catalog;
        if (HttpMethods.IsPut(method))
        {
            var body = await ReadJsonAsync<AdminKeyRequest>(context);
            if (body is null || string.IsNullOrEmpty(body.SecretKey) || id.Length is < 3 or > 128)
            {
                await ErrorAsync(context, 400, ErrorCodes.InvalidArgument, "A key needs an access key id of 3-128 characters and a secretKey.");
                return;
            }
            catalog.PutKey(new AccessKeyRecord(id, body.SecretKey, body.Buckets ?? [], body.ReadOnly));
            Log.AdminChange(logger, "put key", id);
            await WriteJsonAsync(context, 200, new AdminKeyInfo(id, body.Buckets ?? [], body.ReadOnly));
            return;
        }
        if (HttpMethods.IsDelete(method))
        {
            if (!catalog.DeleteKey(id))
            {
                await ErrorAsync(context, 404, ErrorCodes.NotFound, $"Key {id} does not exist.");
                return;
            }
            Log.AdminChange(logger, "deleted key", id);
            context.Response.StatusCode = 204;
            return;
        }
        if (HttpMethods.IsGet(method) && catalog.Snapshot.Keys.TryGetValue(id, out var key))
        {
            await WriteJsonAsync(context, 200, new AdminKeyInfo(key.AccessKeyId, key.Buckets, key.ReadOnly));
            return;
        }
        await ErrorAsync(context, 404, ErrorCodes.NotFound, $"Key {id} does not exist.");
    }

    private AdminBucketInfo Info(BucketRecord bucket)
    {
        var (objects, bytes) = stores.Get(bucket).Index.Stats();
        return new AdminBucketInfo(bucket.Name, bucket.Public, bucket.OwnerKeyId, objects, bytes,
            bucket.Shadow is { } s ? new AdminShadowInfo(s.Bucket, s.Endpoint, s.AccessKey, s.Region, s.WriteThrough) : null,
            bucket.IndexDocument, bucket.ErrorDocument, bucket.Versioning.ToString(), bucket.CreatedAt);
    }

    private static bool Authorized(HttpRequest request, byte[]? tokenHash)
    {
        if (tokenHash is null)
        {
            return false;
        }
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return false;
        }
        // Hashing both sides first makes the comparison constant-time whatever the lengths.
        return CryptographicOperations.FixedTimeEquals(HashToken(header["Bearer ".Length..]), tokenHash);
    }

    private static async Task<T?> ReadJsonAsync<T>(HttpContext context) where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Json, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task WriteJsonAsync<T>(HttpContext context, int status, T value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, Json, context.RequestAborted);
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string detail) =>
        WriteJsonAsync(context, status, new AdminError(code, detail));
}
