using System.Text;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Http;

/// <summary>S3 error codes, their HTTP status, and the XML error body.</summary>
internal static class S3Errors
{
    /// <summary>
    /// The data disk is (nearly) full. S3 itself has no such error; MinIO's code and HTTP 507 Insufficient
    /// Storage are what self-hosted S3 clients and tools already recognise, and AWS SDKs do not retry a 507
    /// (a disk does not free itself within a retry's backoff).
    /// </summary>
    public const string StorageFull = "XMinioStorageFull";

    public const string StorageFullMessage = "The data disk is full: writes are refused until objects are deleted or space is freed.";

    public static int Status(string code) => code switch
    {
        "AccessDenied" or "AccessForbidden" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "RequestTimeTooSkewed" or "InvalidObjectState"
            or "AuthorizationQueryParametersError" => 403,
        "NoSuchBucket" or "NoSuchKey" or "NoSuchUpload" or "NoSuchVersion" or "NoSuchCORSConfiguration" or "NoSuchWebsiteConfiguration"
            or "NoSuchLifecycleConfiguration" or "NoSuchBucketPolicy" or "ServerSideEncryptionConfigurationNotFoundError" => 404,
        "MethodNotAllowed" => 405,
        "BucketAlreadyExists" or "BucketAlreadyOwnedByYou" or "BucketNotEmpty" or "OperationAborted" or "ConditionalRequestConflict" => 409,
        "MissingContentLength" => 411,
        "PreconditionFailed" => 412,
        "InvalidRange" => 416,
        "InternalError" => 500,
        "NotImplemented" => 501,
        "ServiceUnavailable" or "SlowDown" => 503,
        StorageFull => 507,
        _ => 400,
    };

    public static Task WriteAsync(HttpContext context, string code, string message, string? resource = null, string? requestId = null)
    {
        var response = context.Response;
        response.StatusCode = Status(code);
        if (code is "RequestTimeout" or "IncompleteBody" or "MissingContentLength")
        {
            // Part of the body may still be on the wire: it must not be read as the next request.
            response.Headers.Connection = "close";
        }
        if (HttpMethods.IsHead(context.Request.Method))
        {
            response.Headers["x-amz-error-code"] = code;
            return Task.CompletedTask;
        }
        var sb = new StringBuilder(256);
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>").Append(code).Append("</Code><Message>");
        Xml.Escape(sb, message);
        sb.Append("</Message>");
        if (resource is not null)
        {
            sb.Append("<Resource>");
            Xml.Escape(sb, resource);
            sb.Append("</Resource>");
        }
        sb.Append("<RequestId>").Append(requestId ?? "").Append("</RequestId></Error>");
        return Xml.WriteAsync(context, sb, response.StatusCode);
    }
}
