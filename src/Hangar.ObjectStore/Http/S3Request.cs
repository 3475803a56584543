using Hangar.ObjectStore.Acl;
using Hangar.ObjectStore.Auth;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Storage;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Http;

/// <summary>Everything the handlers need to know about one S3 request once it is routed and authenticated.</summary>
internal sealed class S3Request(HttpContext context, RequestTarget target, CatalogSnapshot catalog, string requestId)
{
    public HttpContext Context { get; } = context;

    public HttpRequest Request => Context.Request;

    public HttpResponse Response => Context.Response;

    public RequestTarget Target { get; } = target;

    public CatalogSnapshot Catalog { get; } = catalog;

    public string RequestId { get; } = requestId;

    public string BucketName { get; set; } = "";

    public string Key { get; set; } = "";

    public BucketRecord? Bucket { get; set; }

    public BucketStore? Store { get; set; }

    public AuthResult Auth { get; set; } = AuthResult.Anonymous;

    /// <summary>The caller as the addressed bucket's ACLs see it; set once the key is verified.</summary>
    public Requester Requester { get; set; } = Requester.Anonymous;

    public string Operation { get; set; } = "Unknown";

    public long BytesIn { get; set; }

    public long BytesOut { get; set; }

    public CancellationToken Aborted => Context.RequestAborted;

    public string Resource => Key.Length == 0 ? "/" + BucketName : "/" + BucketName + "/" + Key;

    public Task ErrorAsync(string code, string message)
    {
        // A client that sent Expect: 100-continue and got a refusal instead never sends its body, while the
        // server would read the next request's bytes as that body: close the connection rather than guess.
        if (Request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase))
        {
            Response.Headers.Connection = "close";
        }
        return S3Errors.WriteAsync(Context, code, message, Resource, RequestId);
    }
}
