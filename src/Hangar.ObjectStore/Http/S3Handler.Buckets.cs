using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;
using Hangar.ObjectStore.Acl;
using Hangar.ObjectStore.Buckets;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Http;

internal sealed partial class S3Handler
{
    private Task ListBucketsAsync(S3Request s3)
    {
        var key = s3.Auth.Key;
        if (key is null)
        {
            return DenyAsync(s3);
        }
        var q = s3.Target;
        var prefix = q.Get("prefix") ?? "";
        var maxBuckets = int.MaxValue;
        if (q.Get("max-buckets") is { } mb && (!int.TryParse(mb, NumberStyles.None, CultureInfo.InvariantCulture, out maxBuckets) || maxBuckets is < 1 or > 10000))
        {
            return s3.ErrorAsync("InvalidArgument", $"max-buckets must be an integer between 1 and 10000, not '{mb}'.");
        }
        var after = "";
        if (q.Get("continuation-token") is { Length: > 0 } token)
        {
            if (!TryDecodeToken(token, out _, out after))
            {
                return s3.ErrorAsync("InvalidArgument", "The continuation token provided is incorrect");
            }
        }
        var page = s3.Catalog.Buckets.Values
            .Where(b => s3.Catalog.CanAccess(key, b) && b.Name.StartsWith(prefix, StringComparison.Ordinal) && string.CompareOrdinal(b.Name, after) > 0)
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .Take(maxBuckets == int.MaxValue ? maxBuckets : maxBuckets + 1)
            .ToList();
        var truncated = page.Count > maxBuckets;
        if (truncated)
        {
            page.RemoveAt(page.Count - 1);
        }
        var sb = Xml.Start("ListAllMyBucketsResult");
        var account = s3.Catalog.Identities.AccountOf(key);
        AppendAccount(sb, "Owner", account.Id, s3.Catalog.Identities).Append("<Buckets>");
        foreach (var bucket in page)
        {
            sb.Append("<Bucket>").Element("Name", bucket.Name).Element("CreationDate", Xml.Timestamp(bucket.CreatedAt)).Append("</Bucket>");
        }
        sb.Append("</Buckets>");
        if (truncated)
        {
            // S3 names the token for the next page ContinuationToken in this response.
            sb.Element("ContinuationToken", EncodeToken('k', page[^1].Name));
        }
        if (q.Has("prefix"))
        {
            sb.Element("Prefix", prefix);
        }
        sb.Append("</ListAllMyBucketsResult>");
        return Xml.WriteAsync(s3.Context, sb);
    }

    private async Task CreateBucketAsync(S3Request s3)
    {
        var key = s3.Auth.Key;
        if (key is null || key.ReadOnly)
        {
            await DenyAsync(s3);
            return;
        }
        var ids = s3.Catalog.Identities;
        if (s3.Bucket is not null)
        {
            await RecreateBucketAsync(s3, ids);
            return;
        }
        if (!key.IsOwnerKey)
        {
            await DenyAsync(s3);
            return;
        }
        if (!BucketNames.IsValid(s3.BucketName))
        {
            await s3.ErrorAsync("InvalidBucketName", "The specified bucket is not valid.");
            return;
        }
        var owner = ids.AccountOf(key).Id;
        var requested = AclRequests.FromHeaders(s3.Request.Headers, owner, owner, ids);
        if (requested.ErrorCode is not null)
        {
            await s3.ErrorAsync(requested.ErrorCode, requested.ErrorMessage!);
            return;
        }
        // An S3 ACL never flips Hangar's public switch: that one also opens every object to reads.
        var record = new BucketRecord(s3.BucketName, NewBucketId(), false, key.AccessKeyId,
            null, null, null, VersioningState.Unversioned, null, time.GetUtcNow())
        {
            Acl = requested.Acl ?? AccessControlList.Private(owner),
        };
        if (!stores.Catalog.TryAddBucket(record))
        {
            await s3.ErrorAsync("BucketAlreadyExists", "The requested bucket name is not available.");
            return;
        }
        Log.BucketCreated(logger, record.Name, key.AccessKeyId);
        s3.Response.Headers.Location = "/" + record.Name;
    }

    /// <summary>
    /// CreateBucket on an existing name, as Ceph RGW and the s3-tests suite expect (and AWS in us-east-1):
    /// the owner asking again with the same ACL gets 200 and nothing changes; asking for a different ACL,
    /// or being someone else, is BucketAlreadyExists. Re-creating never resets contents or ACL.
    /// </summary>
    private static async Task RecreateBucketAsync(S3Request s3, IdentityDirectory ids)
    {
        var bucket = s3.Bucket!;
        var owner = ids.OwnerOf(bucket).Id;
        if (!ids.RequesterFor(s3.Auth.Key, bucket).IsOwner(owner))
        {
            await s3.ErrorAsync("BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.");
            return;
        }
        var requested = AclRequests.FromHeaders(s3.Request.Headers, owner, owner, ids);
        if (requested.ErrorCode is not null)
        {
            await s3.ErrorAsync(requested.ErrorCode, requested.ErrorMessage!);
            return;
        }
        if (!(requested.Acl ?? AccessControlList.Private(owner)).Equals(BucketAcls.Effective(bucket, ids)))
        {
            await s3.ErrorAsync("BucketAlreadyExists", "You already own this bucket with a different ACL; change it with PutBucketAcl.");
            return;
        }
        s3.Response.Headers.Location = "/" + bucket.Name;
    }

    internal static string NewBucketId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private async Task DeleteBucketAsync(S3Request s3)
    {
        if (!s3.Store!.Index.IsEmpty())
        {
            await s3.ErrorAsync("BucketNotEmpty", "The bucket you tried to delete is not empty.");
            return;
        }
        stores.Catalog.DeleteBucket(s3.Bucket!.Name);
        await stores.DropAsync(s3.Bucket);
        s3.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private Task GetLocationAsync(S3Request s3)
    {
        var sb = new System.Text.StringBuilder(Xml.Header);
        sb.Append("<LocationConstraint").Append(Xml.Ns).Append('>').Append(options.Region).Append("</LocationConstraint>");
        return Xml.WriteAsync(s3.Context, sb);
    }

    private Task GetVersioningAsync(S3Request s3)
    {
        var sb = Xml.Start("VersioningConfiguration");
        if (s3.Bucket!.Versioning != VersioningState.Unversioned)
        {
            sb.Element("Status", s3.Bucket.Versioning.ToString());
        }
        sb.Append("</VersioningConfiguration>");
        return Xml.WriteAsync(s3.Context, sb);
    }

    private async Task PutVersioningAsync(S3Request s3)
    {
        var doc = await ReadXmlAsync(s3);
        var status = doc?.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "Status")?.Value;
        if (doc?.Root?.Name.LocalName != "VersioningConfiguration" || status is not ("Enabled" or "Suspended"))
        {
            await s3.ErrorAsync("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
            return;
        }
        var state = status == "Enabled" ? VersioningState.Enabled : VersioningState.Suspended;
        stores.Catalog.UpdateBucket(s3.Bucket!.Name, b => b with { Versioning = state });
    }

    /// <summary>Reads a small XML request body; null when it is missing, too large or not well-formed.</summary>
    private async Task<XDocument?> ReadXmlAsync(S3Request s3, int limit = 2 * 1024 * 1024)
    {
        using var buffer = new MemoryStream();
        var body = s3.Request.Body;
        var chunk = new byte[16 * 1024];
        int n;
        using var idle = new BodyIdleTimer(options.BodyIdleTimeout, time, s3.Aborted);
        try
        {
            while ((n = await idle.ReadAsync(body, chunk)) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > limit)
                {
                    return null;
                }
            }
        }
        catch (OperationCanceledException) when (idle.TimedOut)
        {
            // Fewer bytes than Content-Length said: answered as malformed, and the connection is not reused.
            s3.Response.Headers.Connection = "close";
            return null;
        }
        s3.BytesIn += buffer.Length;
        if (buffer.Length == 0)
        {
            return null;
        }
        buffer.Position = 0;
        return Xml.Load(buffer);
    }
}
