using System.Text;
using Hangar.ObjectStore.Acl;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Storage;
using Hangar.ObjectStore.Policy;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Http;

internal sealed partial class S3Handler
{
    /// <summary>
    /// The bucket policy first, then ACLs: an explicit Deny refuses whatever the ACL grants, an Allow admits the
    /// request, and with no decision the ACL rules. Key scoping bounds both: a scoped key outside its buckets is
    /// never let in by a policy, and a read-only key never gets a write.
    /// </summary>
    private static bool AuthorizeWithPolicy(S3Request s3, AccessNeed need)
    {
        if (s3.Bucket!.Policy is { } policy && PolicyActions.For(s3.Operation, s3.Target.Get("versionId") is not null) is { } action)
        {
            var decision = PolicyEvaluator.Evaluate(policy, PolicyRequestFor(s3, s3.Bucket, action.Action, action.OnObject ? s3.Key : null));
            if (decision == PolicyDecision.Deny)
            {
                return false;
            }
            if (decision == PolicyDecision.Allow && s3.Requester.InScope && !(s3.Requester.ReadOnly && PolicyActions.Writes(action.Action)))
            {
                return true;
            }
        }
        return Authorize(s3, need);
    }

    /// <summary>DeleteObjects is authorised for the bucket, then each key is judged by the policy as a DeleteObject.</summary>
    private static bool PolicyDeniesDelete(S3Request s3, string key, string? versionId) =>
        s3.Bucket!.Policy is { } policy
        && PolicyEvaluator.Evaluate(policy, PolicyRequestFor(s3, s3.Bucket, versionId is null ? "s3:DeleteObject" : "s3:DeleteObjectVersion", key)) == PolicyDecision.Deny;

    /// <summary>
    /// Whether the caller may read a copy source: the source bucket's policy (a GetObject on the source key) first,
    /// then its ACL, judged by the source bucket's own view of the caller.
    /// </summary>
    private static bool MayReadCopySource(S3Request s3, BucketRecord bucket, string key, string? versionId, ObjectVersion? version)
    {
        if (bucket.Policy is { } policy)
        {
            var decision = PolicyEvaluator.Evaluate(policy, PolicyRequestFor(s3, bucket, versionId is null ? "s3:GetObject" : "s3:GetObjectVersion", key));
            if (decision == PolicyDecision.Deny)
            {
                return false;
            }
            if (decision == PolicyDecision.Allow && s3.Catalog.Identities.RequesterFor(s3.Auth.Key, bucket).InScope)
            {
                return true;
            }
        }
        return CanReadCopySource(s3, bucket, version);
    }

    private static PolicyRequest PolicyRequestFor(S3Request s3, BucketRecord bucket, string action, string? key)
    {
        var resource = "arn:aws:s3:::" + bucket.Name + (key is null ? "" : "/" + key);
        var authKey = s3.Auth.Key;
        string? canonicalId = authKey is null ? null : s3.Catalog.Identities.AccountOf(authKey).Id;
        return new PolicyRequest(action, resource, canonicalId, authKey?.AccessKeyId, s3.Request.IsHttps,
            s3.Context.Connection.RemoteIpAddress, key is null ? s3.Target.Get("prefix") : null);
    }

    private Task GetPolicyAsync(S3Request s3)
    {
        if (s3.Bucket!.Policy is not { } policy)
        {
            return s3.ErrorAsync("NoSuchBucketPolicy", "The bucket policy does not exist");
        }
        s3.Response.ContentType = "application/json";
        return s3.Response.WriteAsync(policy.Json, s3.Aborted);
    }

    private async Task PutPolicyAsync(S3Request s3)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        // Newer SDKs send even small bodies aws-chunked with a checksum trailer.
        var body = OpenBody(s3);
        while ((n = await body.ReadAsync(chunk, s3.Aborted)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > PolicyParser.MaxBytes)
            {
                await s3.ErrorAsync("MalformedPolicy", $"Policies must be no larger than {PolicyParser.MaxBytes / 1024} KB.");
                return;
            }
        }
        s3.BytesIn += buffer.Length;
        string json;
        try
        {
            json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            await s3.ErrorAsync("MalformedPolicy", "This policy contains invalid Json: it is not UTF-8.");
            return;
        }
        var catalog = s3.Catalog;
        var parsed = PolicyParser.Parse(json, s3.Bucket!.Name, id => catalog.Identities.ById(id) is not null || catalog.Keys.ContainsKey(id));
        if (parsed.Policy is null)
        {
            await s3.ErrorAsync("MalformedPolicy", parsed.Error!);
            return;
        }
        if (!stores.Catalog.UpdateBucket(s3.Bucket.Name, b => b with { Policy = parsed.Policy }))
        {
            await s3.ErrorAsync("NoSuchBucket", "The specified bucket does not exist.");
            return;
        }
        s3.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private Task DeletePolicyAsync(S3Request s3)
    {
        stores.Catalog.UpdateBucket(s3.Bucket!.Name, b => b with { Policy = null });
        s3.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>Public when a statement allows anyone without limiting the source address (S3's rule, simplified).</summary>
    private static Task GetPolicyStatusAsync(S3Request s3)
    {
        if (s3.Bucket!.Policy is not { } policy)
        {
            return s3.ErrorAsync("NoSuchBucketPolicy", "The bucket policy does not exist");
        }
        var isPublic = policy.Statements.Any(s => s.Allow && s.AnyPrincipal && !s.Conditions.Any(c => c.Operator == "IpAddress"));
        var sb = Xml.Start("PolicyStatus").Element("IsPublic", isPublic).Append("</PolicyStatus>");
        return Xml.WriteAsync(s3.Context, sb);
    }
}
