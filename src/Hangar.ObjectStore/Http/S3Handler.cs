using Hangar.ObjectStore.Acl;
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
    private readonly Lifecycle.LifecycleClock _lifecycleClock = new(options.LifecycleDay);

    public async Task HandleAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var target = RequestTarget.Parse(rawTarget);
        if (target.Path.StartsWith("/_hangar/", StringComparison.Ordinal))
        {
            await admin.HandleAsync(context, target.Path);
            return;
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var requestId = Interlocked.Increment(ref s_requestCounter).ToString("X16", System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["x-amz-request-id"] = requestId;
        context.Response.Headers.Server = "Hangar";
        var s3 = new S3Request(context, target, stores.Catalog.Snapshot, requestId);
        try
        {
            await DispatchAsync(s3);
        }
        catch (BadHttpRequestException ex) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            // Kestrel refused the body (framing it could not follow): the client is still there, so it
            // gets an S3 error and the connection closes, rather than a reset.
            Log.ClientAborted(logger, s3.Operation, s3.Resource, ex.Message);
            context.Response.Clear();
            await s3.ErrorAsync(ex.StatusCode == StatusCodes.Status408RequestTimeout ? "RequestTimeout" : "IncompleteBody", ex.Message);
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
            metrics.Record(s3.Operation, context.Response.StatusCode, s3.BytesIn, s3.BytesOut, System.Diagnostics.Stopwatch.GetElapsedTime(started));
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
        var resourcePath = IsVirtualHosted(s3) ? "/" + s3.BucketName + s3.Target.RawPath : s3.Target.RawPath;
        s3.Auth = verifier.Verify(s3.Request, s3.Target, resourcePath, s3.Catalog);
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
        s3.Requester = s3.Catalog.Identities.RequesterFor(s3.Auth.Key, s3.Bucket);
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
        if (HttpMethods.IsPost(method) && !q.HasQuery && IsFormUpload(s3.Request))
        {
            // Authorised inside: the signer is named in the form, after the policy's signature is checked.
            return PostObjectAsync(s3);
        }
        (string Op, AccessNeed Need, Func<S3Request, Task> Run) route = method switch
        {
            "GET" when q.Has("versioning") => ("GetBucketVersioning", AccessNeed.BucketOwnerRead, GetVersioningAsync),
            "GET" when q.Has("cors") => ("GetBucketCors", AccessNeed.BucketOwnerRead, GetCorsAsync),
            "GET" when q.Has("location") => ("GetBucketLocation", AccessNeed.BucketOwnerRead, GetLocationAsync),
            "GET" when q.Has("policyStatus") => ("GetBucketPolicyStatus", AccessNeed.BucketOwnerRead, GetPolicyStatusAsync),
            "GET" when q.Has("policy") => ("GetBucketPolicy", AccessNeed.BucketOwnerRead, GetPolicyAsync),
            "GET" when q.Has("encryption") => ("GetBucketEncryption", AccessNeed.BucketOwnerRead, GetEncryptionAsync),
            "GET" when q.Has("lifecycle") => ("GetBucketLifecycleConfiguration", AccessNeed.BucketOwnerRead, GetLifecycleAsync),
            "GET" when q.Has("acl") => ("GetBucketAcl", AccessNeed.BucketReadAcp, GetBucketAclAsync),
            "GET" when q.Has("uploads") => ("ListMultipartUploads", AccessNeed.BucketRead, ListUploadsAsync),
            "GET" when q.Has("versions") => ("ListObjectVersions", AccessNeed.BucketRead, ListVersionsAsync),
            "GET" when q.Get("list-type") == "2" => ("ListObjectsV2", AccessNeed.BucketRead, r => ListObjectsAsync(r, v2: true)),
            "GET" when !HasUnsupportedSubresource(q) => ("ListObjects", AccessNeed.BucketRead, r => ListObjectsAsync(r, v2: false)),
            "HEAD" => ("HeadBucket", AccessNeed.BucketRead, r => { r.Response.Headers["x-amz-bucket-region"] = options.Region; return Task.CompletedTask; }),
            "PUT" when q.Has("versioning") => ("PutBucketVersioning", AccessNeed.BucketOwnerWrite, PutVersioningAsync),
            "PUT" when q.Has("cors") => ("PutBucketCors", AccessNeed.BucketOwnerWrite, PutCorsAsync),
            "PUT" when q.Has("policy") => ("PutBucketPolicy", AccessNeed.BucketOwnerWrite, PutPolicyAsync),
            "PUT" when q.Has("encryption") => ("PutBucketEncryption", AccessNeed.BucketOwnerWrite, PutEncryptionAsync),
            "PUT" when q.Has("lifecycle") => ("PutBucketLifecycleConfiguration", AccessNeed.BucketOwnerWrite, PutLifecycleAsync),
            "PUT" when q.Has("acl") => ("PutBucketAcl", AccessNeed.BucketWriteAcp, PutBucketAclAsync),
            "DELETE" when q.Has("policy") => ("DeleteBucketPolicy", AccessNeed.BucketOwnerWrite, DeletePolicyAsync),
            "DELETE" when q.Has("encryption") => ("DeleteBucketEncryption", AccessNeed.BucketOwnerWrite, DeleteEncryptionAsync),
            "DELETE" when q.Has("lifecycle") => ("DeleteBucketLifecycle", AccessNeed.BucketOwnerWrite, DeleteLifecycleAsync),
            "DELETE" when q.Has("cors") => ("DeleteBucketCors", AccessNeed.BucketOwnerWrite, DeleteCorsAsync),
            "DELETE" when !q.HasQuery => ("DeleteBucket", AccessNeed.BucketOwnerWrite, DeleteBucketAsync),
            "POST" when q.Has("delete") => ("DeleteObjects", AccessNeed.BucketWrite, DeleteObjectsAsync),
            _ => ("Unsupported", AccessNeed.BucketRead, r => r.ErrorAsync("NotImplemented", "A header or query you provided implies functionality that is not implemented.")),
        };
        s3.Operation = route.Op;
        return AuthorizeWithPolicy(s3, route.Need) ? route.Run(s3) : DenyAsync(s3);
    }

    private Task DispatchObjectAsync(S3Request s3, string method)
    {
        var q = s3.Target;
        var copy = s3.Request.Headers.ContainsKey("x-amz-copy-source");
        (string Op, AccessNeed Need, Func<S3Request, Task> Run) route = method switch
        {
            "GET" when q.Has("uploadId") => ("ListParts", AccessNeed.BucketRead, ListPartsAsync),
            "GET" when q.Has("acl") => ("GetObjectAcl", AccessNeed.ObjectReadAcp, GetObjectAclAsync),
            // S3 grants tag reads through policies, never through an object's READ grant (nor the public switch): READ_ACP
            // decides, which the object's and the bucket's owners always have.
            "GET" when q.Has("tagging") => ("GetObjectTagging", AccessNeed.ObjectReadAcp, GetObjectTaggingAsync),
            "GET" => ("GetObject", AccessNeed.ObjectRead, r => GetObjectAsync(r, head: false, website: r.Auth.IsAnonymous)),
            "HEAD" => ("HeadObject", AccessNeed.ObjectRead, r => GetObjectAsync(r, head: true, website: false)),
            "PUT" when q.Has("uploadId") && copy => ("UploadPartCopy", AccessNeed.BucketWrite, UploadPartAsync),
            "PUT" when q.Has("uploadId") => ("UploadPart", AccessNeed.BucketWrite, UploadPartAsync),
            "PUT" when q.Has("acl") => ("PutObjectAcl", AccessNeed.ObjectWriteAcp, PutObjectAclAsync),
            "PUT" when q.Has("tagging") => ("PutObjectTagging", AccessNeed.ObjectWriteAcp, PutObjectTaggingAsync),
            "PUT" when copy => ("CopyObject", AccessNeed.BucketWrite, CopyObjectAsync),
            "PUT" => ("PutObject", AccessNeed.BucketWrite, PutObjectAsync),
            "DELETE" when q.Has("uploadId") => ("AbortMultipartUpload", AccessNeed.BucketWrite, AbortUploadAsync),
            "DELETE" when q.Has("tagging") => ("DeleteObjectTagging", AccessNeed.ObjectWriteAcp, DeleteObjectTaggingAsync),
            "DELETE" => ("DeleteObject", AccessNeed.BucketWrite, DeleteObjectAsync),
            "POST" when q.Has("uploads") => ("CreateMultipartUpload", AccessNeed.BucketWrite, CreateUploadAsync),
            "POST" when q.Has("uploadId") => ("CompleteMultipartUpload", AccessNeed.BucketWrite, CompleteUploadAsync),
            _ => ("Unsupported", AccessNeed.BucketRead, r => r.ErrorAsync("MethodNotAllowed", "The specified method is not allowed against this resource.")),
        };
        s3.Operation = route.Op;
        if (s3.Key.Length > 1024)
        {
            return s3.ErrorAsync("KeyTooLongError", "Your key is too long.");
        }
        return AuthorizeWithPolicy(s3, route.Need) ? route.Run(s3) : DenyAsync(s3);
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

    private static Task DenyAsync(S3Request s3) => s3.ErrorAsync("AccessDenied", "Access Denied");

    private bool IsVirtualHosted(S3Request s3)
    {
        var host = s3.Request.Host.Host;
        return host.Length > _hostSuffix.Length && host.EndsWith(_hostSuffix, StringComparison.OrdinalIgnoreCase);
    }

    private void ResolveAddress(S3Request s3)
    {
        var host = s3.Request.Host.Host;
        var path = s3.Target.Path;
        if (IsVirtualHosted(s3))
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
