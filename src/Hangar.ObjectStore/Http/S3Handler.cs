using Hangar.ObjectStore.Admin;
using Hangar.ObjectStore.Auth;
using Hangar.ObjectStore.Hosting;
using Hangar.ObjectStore.Metrics;
using Hangar.ObjectStore.Shadow;
using Hangar.ObjectStore.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Hangar.ObjectStore.Http;

/// <summary>
/// The S3 request loop: addressing (path- or virtual-hosted style), authentication, authorisation,
/// dispatch to the operation, metrics. Operations live in the partial files by concern.
/// </summary>
internal sealed partial class S3Handler(
    S3ServerOptions options,
    StoreRegistry stores,
    SigV4Verifier verifier,
    AdminApi admin,
    S3Metrics metrics,
    ShadowService shadow,
    TimeProvider time,
    ILogger<S3Handler> logger)
{
    private static long s_requestCounter = DateTime.UtcNow.Ticks;
    private readonly string _hostSuffix = "." + options.Domain;

    public async Task HandleAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var target = RequestTarget.Parse(rawTarget);
        if (target.Path.StartsWith("/_hangar/", StringComparison.Ordinal))
        {
            await admin.HandleAsync(context, target.Path);
            return;
        }
        var requestId = Interlocked.Increment(ref s_requestCounter).ToString("X16", System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["x-amz-request-id"] = requestId;
        context.Response.Headers.Server = "Hangar";
        var s3 = new S3Request(context, target, stores.Catalog.Snapshot, requestId);
        try
        {
            await DispatchAsync(s3);
        }
        catch (Exception ex) when (StorageSpace.IsDiskFull(ex) && !context.RequestAborted.IsCancellationRequested)
        {
            Log.StorageFull(logger, s3.Operation, s3.Resource, ex.Message);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await s3.ErrorAsync(S3Errors.StorageFull, S3Errors.StorageFullMessage);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || ex is IOException || ex is BadHttpRequestException || context.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-request: nothing was committed, there is nobody to answer.
            Log.ClientAborted(logger, s3.Operation, s3.Resource, ex.Message);
            context.Abort();
        }
        catch (Exception ex)
        {
            Log.RequestFailed(logger, ex, s3.Operation, s3.Resource);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await s3.ErrorAsync("InternalError", "We encountered an internal error. Please try again.");
            }
        }
        finally
        {
            metrics.Record(s3.Operation, context.Response.StatusCode, s3.BytesIn, s3.BytesOut);
        }
    }

    private Task DispatchAsync(S3Request s3)
    {
        ResolveAddress(s3);
        var method = s3.Request.Method;
        if (s3.BucketName.Length > 0)
        {
            s3.Bucket = s3.Catalog.Buckets.GetValueOrDefault(s3.BucketName);
            if (s3.Bucket is not null)
            {
                ApplyCorsHeaders(s3);
            }
        }
        if (HttpMethods.IsOptions(method))
        {
            s3.Operation = "PreflightCors";
            return PreflightAsync(s3);
        }
        s3.Auth = verifier.Verify(s3.Request, s3.Target, s3.Catalog);
        if (s3.Auth.ErrorCode is not null)
        {
            s3.Operation = "Authenticate";
            return s3.ErrorAsync(s3.Auth.ErrorCode, s3.Auth.ErrorMessage ?? s3.Auth.ErrorCode);
        }
        if (s3.BucketName.Length == 0)
        {
            s3.Operation = "ListBuckets";
            if (!HttpMethods.IsGet(method))
            {
                return s3.ErrorAsync("MethodNotAllowed", "The specified method is not allowed against this resource.");
            }
            return ListBucketsAsync(s3);
        }
        if (s3.Bucket is null)
        {
            if (s3.Key.Length == 0 && HttpMethods.IsPut(method) && !s3.Target.HasQuery)
            {
                s3.Operation = "CreateBucket";
                return CreateBucketAsync(s3);
            }
            s3.Operation = "NoSuchBucket";
            return s3.ErrorAsync("NoSuchBucket", "The specified bucket does not exist.");
        }
        s3.Store = stores.Get(s3.Bucket);
        return s3.Key.Length == 0 ? DispatchBucketAsync(s3, method) : DispatchObjectAsync(s3, method);
    }

    private Task DispatchBucketAsync(S3Request s3, string method)
    {
        var q = s3.Target;
        if (HttpMethods.IsGet(method) && s3.Auth.IsAnonymous && s3.Bucket!.Public && s3.Bucket.IndexDocument is not null && !q.HasQuery)
        {
            s3.Operation = "WebsiteGet";
            return GetObjectAsync(s3, head: false, website: true);
        }
        if (HttpMethods.IsPut(method) && !q.HasQuery)
        {
            // Authorised inside: an existing name must answer BucketAlreadyExists, not AccessDenied.
            s3.Operation = "CreateBucket";
            return CreateBucketAsync(s3);
        }
        (string Op, bool Write, Func<S3Request, Task> Run) route = method switch
        {
            "GET" when q.Has("versioning") => ("GetBucketVersioning", false, GetVersioningAsync),
            "GET" when q.Has("cors") => ("GetBucketCors", false, GetCorsAsync),
            "GET" when q.Has("location") => ("GetBucketLocation", false, GetLocationAsync),
            "GET" when q.Has("acl") => ("GetBucketAcl", false, GetAclAsync),
            "GET" when q.Has("uploads") => ("ListMultipartUploads", false, ListUploadsAsync),
            "GET" when q.Has("versions") => ("ListObjectVersions", false, ListVersionsAsync),
            "GET" when q.Get("list-type") == "2" => ("ListObjectsV2", false, r => ListObjectsAsync(r, v2: true)),
            "GET" when !HasUnsupportedSubresource(q) => ("ListObjects", false, r => ListObjectsAsync(r, v2: false)),
            "HEAD" => ("HeadBucket", false, r => { r.Response.Headers["x-amz-bucket-region"] = options.Region; return Task.CompletedTask; }),
            "PUT" when q.Has("versioning") => ("PutBucketVersioning", true, PutVersioningAsync),
            "PUT" when q.Has("cors") => ("PutBucketCors", true, PutCorsAsync),
            "PUT" when q.Has("acl") => ("PutBucketAcl", true, PutBucketAclAsync),
            "DELETE" when q.Has("cors") => ("DeleteBucketCors", true, DeleteCorsAsync),
            "DELETE" when !q.HasQuery => ("DeleteBucket", true, DeleteBucketAsync),
            "POST" when q.Has("delete") => ("DeleteObjects", true, DeleteObjectsAsync),
            _ => ("Unsupported", false, r => r.ErrorAsync("NotImplemented", "A header or query you provided implies functionality that is not implemented.")),
        };
        s3.Operation = route.Op;
        return Authorize(s3, route.Write, anonymousAllowed: false) ? route.Run(s3) : DenyAsync(s3);
    }

    private Task DispatchObjectAsync(S3Request s3, string method)
    {
        var q = s3.Target;
        var copy = s3.Request.Headers.ContainsKey("x-amz-copy-source");
        (string Op, bool Write, bool Anonymous, Func<S3Request, Task> Run) route = method switch
        {
            "GET" when q.Has("uploadId") => ("ListParts", false, false, ListPartsAsync),
            "GET" when q.Has("acl") => ("GetObjectAcl", false, false, GetAclAsync),
            "GET" => ("GetObject", false, true, r => GetObjectAsync(r, head: false, website: r.Auth.IsAnonymous)),
            "HEAD" => ("HeadObject", false, true, r => GetObjectAsync(r, head: true, website: false)),
            "PUT" when q.Has("uploadId") && copy => ("UploadPartCopy", true, false, UploadPartAsync),
            "PUT" when q.Has("uploadId") => ("UploadPart", true, false, UploadPartAsync),
            "PUT" when q.Has("acl") => ("PutObjectAcl", true, false, r => Task.CompletedTask),
            "PUT" when copy => ("CopyObject", true, false, CopyObjectAsync),
            "PUT" => ("PutObject", true, false, PutObjectAsync),
            "DELETE" when q.Has("uploadId") => ("AbortMultipartUpload", true, false, AbortUploadAsync),
            "DELETE" => ("DeleteObject", true, false, DeleteObjectAsync),
            "POST" when q.Has("uploads") => ("CreateMultipartUpload", true, false, CreateUploadAsync),
            "POST" when q.Has("uploadId") => ("CompleteMultipartUpload", true, false, CompleteUploadAsync),
            _ => ("Unsupported", false, false, r => r.ErrorAsync("MethodNotAllowed", "The specified method is not allowed against this resource.")),
        };
        s3.Operation = route.Op;
        if (s3.Key.Length > 1024)
        {
            return s3.ErrorAsync("KeyTooLongError", "Your key is too long.");
        }
        return Authorize(s3, route.Write, route.Anonymous) ? route.Run(s3) : DenyAsync(s3);
    }

    private static bool HasUnsupportedSubresource(RequestTarget q)
    {
        foreach (var (name, _) in q.Query)
        {
            switch (name)
            {
                case "policy" or "lifecycle" or "website" or "tagging" or "replication" or "logging" or "notification"
                    or "encryption" or "object-lock" or "ownershipControls" or "publicAccessBlock" or "requestPayment" or "accelerate" or "analytics":
                    return true;
            }
        }
        return false;
    }

    private static bool Authorize(S3Request s3, bool write, bool anonymousAllowed)
    {
        var key = s3.Auth.Key;
        if (key is null)
        {
            // Public buckets serve reads of objects to anyone; listing and writes always need a key.
            return anonymousAllowed && !write && s3.Bucket!.Public;
        }
        if (!s3.Catalog.CanAccess(key, s3.Bucket!))
        {
            return false;
        }
        return !write || !key.ReadOnly;
    }

    private static Task DenyAsync(S3Request s3) => s3.ErrorAsync("AccessDenied", "Access Denied");

    private void ResolveAddress(S3Request s3)
    {
        var host = s3.Request.Host.Host;
        var path = s3.Target.Path;
        if (host.Length > _hostSuffix.Length && host.EndsWith(_hostSuffix, StringComparison.OrdinalIgnoreCase))
        {
            s3.BucketName = host[..^_hostSuffix.Length];
            s3.Key = path.Length > 1 ? path[1..] : "";
            return;
        }
        var rest = path.AsSpan(1);
        var slash = rest.IndexOf('/');
        if (slash < 0)
        {
            s3.BucketName = rest.ToString();
            s3.Key = "";
        }
        else
        {
            s3.BucketName = rest[..slash].ToString();
            s3.Key = rest[(slash + 1)..].ToString();
        }
    }
}
