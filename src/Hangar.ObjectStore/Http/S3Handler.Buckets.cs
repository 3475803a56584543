using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;
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
        sb.Append("<Owner>").Element("ID", key.AccessKeyId).Element("DisplayName", key.AccessKeyId).Append("</Owner><Buckets>");
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
        if (s3.Bucket is not null)
        {
            var owned = s3.Bucket.OwnerKeyId == key.AccessKeyId;
            await s3.ErrorAsync(owned ? "BucketAlreadyOwnedByYou" : "BucketAlreadyExists",
                owned ? "Your previous request to create the named bucket succeeded and you already own it."
                      : "The requested bucket name is not available.");
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
        var acl = s3.Request.Headers["x-amz-acl"].ToString();
        var record = new BucketRecord(s3.BucketName, NewBucketId(), acl is "public-read" or "public-read-write", key.AccessKeyId,
            null, null, null, VersioningState.Unversioned, null, time.GetUtcNow());
        stores.Catalog.PutBucket(record);
        Log.BucketCreated(logger, record.Name, key.AccessKeyId);
        s3.Response.Headers.Location = "/" + record.Name;
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

    private Task GetAclAsync(S3Request s3)
    {
        var owner = s3.Bucket!.OwnerKeyId ?? "hangar";
        var sb = Xml.Start("AccessControlPolicy");
        sb.Append("<Owner>").Element("ID", owner).Element("DisplayName", owner).Append("</Owner><AccessControlList>");
        sb.Append("<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">")
            .Element("ID", owner).Element("DisplayName", owner).Append("</Grantee><Permission>FULL_CONTROL</Permission></Grant>");
        if (s3.Bucket.Public)
        {
            sb.Append("<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\">")
                .Element("URI", "http://acs.amazonaws.com/groups/global/AllUsers").Append("</Grantee><Permission>READ</Permission></Grant>");
        }
        sb.Append("</AccessControlList></AccessControlPolicy>");
        return Xml.WriteAsync(s3.Context, sb);
    }

    private async Task PutBucketAclAsync(S3Request s3)
    {
        bool isPublic;
        var acl = s3.Request.Headers["x-amz-acl"].ToString();
        if (acl.Length > 0)
        {
            if (acl is not ("private" or "public-read" or "public-read-write" or "authenticated-read"))
            {
                await s3.ErrorAsync("InvalidArgument", "Unsupported canned ACL.");
                return;
            }
            isPublic = acl is "public-read" or "public-read-write";
        }
        else
        {
            var doc = await ReadXmlAsync(s3);
            if (doc?.Root?.Name.LocalName != "AccessControlPolicy")
            {
                await s3.ErrorAsync("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
                return;
            }
            isPublic = doc.Descendants().Any(e => e.Name.LocalName == "URI" && e.Value.EndsWith("/AllUsers", StringComparison.Ordinal));
        }
        stores.Catalog.UpdateBucket(s3.Bucket!.Name, b => b with { Public = isPublic });
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
