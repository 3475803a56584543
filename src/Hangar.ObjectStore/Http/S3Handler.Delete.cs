using System.Text;
using Hangar.ObjectStore.Acl;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Encryption;
using Hangar.ObjectStore.Objects;
using Hangar.ObjectStore.Storage;
using Hangar.ObjectStore.Tagging;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Http;

internal sealed partial class S3Handler
{
    private async Task DeleteObjectAsync(S3Request s3)
    {
        var result = await s3.Store!.Index.DeleteAsync(s3.Key, s3.Target.Get("versionId"), s3.Bucket!.Versioning);
        if (result is { } r)
        {
            if (r.VersionId is not null)
            {
                s3.Response.Headers["x-amz-version-id"] = r.VersionId;
            }
            if (r.DeleteMarker)
            {
                s3.Response.Headers["x-amz-delete-marker"] = "true";
            }
        }
        if (s3.Bucket.Shadow is { WriteThrough: true } upstream)
        {
            await shadow.DeleteAsync(upstream, s3.Key, s3.Aborted);
        }
        s3.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task DeleteObjectsAsync(S3Request s3)
    {
        var doc = await ReadXmlBodyAsync(s3);
        if (doc?.Root?.Name.LocalName != "Delete")
        {
            await s3.ErrorAsync("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
            return;
        }
        var quiet = doc.Root.Elements().FirstOrDefault(e => e.Name.LocalName == "Quiet")?.Value.Trim() == "true";
        var objects = doc.Root.Elements().Where(e => e.Name.LocalName == "Object")
            .Select(e => (Key: e.Elements().FirstOrDefault(x => x.Name.LocalName == "Key")?.Value,
                          VersionId: e.Elements().FirstOrDefault(x => x.Name.LocalName == "VersionId")?.Value))
            .ToList();
        if (objects.Count == 0 || objects.Count > 1000 || objects.Any(o => string.IsNullOrEmpty(o.Key)))
        {
            await s3.ErrorAsync("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
            return;
        }
        var sb = Xml.Start("DeleteResult");
        foreach (var (key, versionId) in objects)
        {
            if (PolicyDeniesDelete(s3, key!, versionId))
            {
                sb.Append("<Error>").Element("Key", key).Element("VersionId", versionId).Element("Code", "AccessDenied").Element("Message", "Access Denied").Append("</Error>");
                continue;
            }
            var result = await s3.Store!.Index.DeleteAsync(key!, versionId, s3.Bucket!.Versioning);
            if (s3.Bucket.Shadow is { WriteThrough: true } upstream)
            {
                await shadow.DeleteAsync(upstream, key!, s3.Aborted);
            }
            if (quiet)
            {
                continue;
            }
            sb.Append("<Deleted>").Element("Key", key).Element("VersionId", versionId ?? (result?.DeleteMarker == true ? null : result?.VersionId));
            if (result is { DeleteMarker: true } r)
            {
                sb.Element("DeleteMarker", true).Element("DeleteMarkerVersionId", r.VersionId);
            }
            sb.Append("</Deleted>");
        }
        sb.Append("</DeleteResult>");
        await Xml.WriteAsync(s3.Context, sb);
    }

    /// <summary>Reads an XML body that may arrive aws-chunked (newer SDKs send checksummed bodies that way).</summary>
    private async Task<System.Xml.Linq.XDocument?> ReadXmlBodyAsync(S3Request s3)
    {
        if (!IsStreaming(s3))
        {
            return await ReadXmlAsync(s3);
        }
        using var body = OpenBody(s3);
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, s3.Aborted);
        if (body is Auth.AwsChunkedStream { Error: not null } || buffer.Length == 0)
        {
            return null;
        }
        buffer.Position = 0;
        return Xml.Load(buffer);
    }

    private (BucketRecord? Bucket, string Key, string? VersionId) ParseCopySource(S3Request s3)
    {
        var raw = s3.Request.Headers["x-amz-copy-source"].ToString();
        string? versionId = null;
        var q = raw.IndexOf("?versionId=", StringComparison.Ordinal);
        if (q >= 0)
        {
            versionId = Auth.UriEncoding.Decode(raw.AsSpan(q + 11));
            raw = raw[..q];
        }
        var decoded = Auth.UriEncoding.Decode(raw.TrimStart('/'));
        var slash = decoded.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return (null, "", null);
        }
        return (s3.Catalog.Buckets.GetValueOrDefault(decoded[..slash]), decoded[(slash + 1)..], versionId);
    }

    /// <summary>Resolves and authorises x-amz-copy-source; writes the error and returns null when it cannot be used.</summary>
    private async Task<(BucketStore Store, ObjectVersion Version, BucketRecord Bucket)?> ResolveCopySourceAsync(S3Request s3)
    {
        var (bucket, key, versionId) = ParseCopySource(s3);
        if (bucket is null || key.Length == 0)
        {
            await s3.ErrorAsync(bucket is null && key.Length > 0 ? "NoSuchBucket" : "InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey.");
            return null;
        }
        var store = stores.Get(bucket);
        var version = versionId is null ? store.Index.GetLatest(key) : store.Index.GetVersion(key, versionId);
        if (!MayReadCopySource(s3, bucket, key, versionId, version))
        {
            await DenyAsync(s3);
            return null;
        }
        if (version is null || version.DeleteMarker)
        {
            await s3.ErrorAsync("NoSuchKey", "The specified key does not exist.");
            return null;
        }
        var etag = Quote(version.ETag);
        var ifMatch = s3.Request.Headers["x-amz-copy-source-if-match"].ToString();
        var ifNoneMatch = s3.Request.Headers["x-amz-copy-source-if-none-match"].ToString();
        if ((ifMatch.Length > 0 && !EtagMatches(ifMatch, etag)) || (ifNoneMatch.Length > 0 && EtagMatches(ifNoneMatch, etag)))
        {
            await s3.ErrorAsync("PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
            return null;
        }
        return (store, version, bucket);
    }

    private async Task CopyObjectAsync(S3Request s3)
    {
        if (await ResolveCopySourceAsync(s3) is not { } source || await NewObjectAclAsync(s3) is not { } acl)
        {
            return;
        }
        // The copy is sealed as the request or the target bucket's default says, whatever the source was.
        var sse = await WriteEncryptionAsync(s3);
        if (!sse.Ok)
        {
            return;
        }
        var directive = s3.Request.Headers["x-amz-metadata-directive"].ToString();
        var headers = SseHeaders.With(directive == "REPLACE" ? ObjectHeaders.FromRequest(s3.Request, awsChunked: false) : TagSet.Strip(ObjectAcls.Strip(StoredHeaders.Decode(source.Version.Headers))),
            sse.Marker);
        if (await CopyTagsAsync(s3, source.Version) is not { } tags)
        {
            return;
        }
        var store = s3.Store!;
        if (!await CustomerKeyCheckAsync(s3, source.Version.Headers, copySource: true))
        {
            return;
        }
        var sourceKey = SealedKey(s3, source.Bucket, source.Version.Headers, copySource: true);
        var body = await Task.Run(() => CopyToTemp(source.Store, source.Version, 0, source.Version.Size, store.Blobs, s3.Aborted, sourceKey, sse.Key), s3.Aborted);
        var (blob, dir) = store.Blobs.Commit(body.TempPath!);
        var version = new ObjectVersion(s3.Key, 0, BucketIndex.NewVersionId(), true, false, blob, null, body.Length,
            body.Md5Hex,
            time.GetUtcNow().ToUnixTimeMilliseconds(), ObjectAcls.Encode(tags.ApplyTo(headers), acl),
            source.Version.ChecksumAlgorithm, source.Version.Checksum);
        if (!await store.Index.PutAsync(version, s3.Bucket!.Versioning, WriteConditionFrom(s3.Request), dir))
        {
            await s3.ErrorAsync("PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
            return;
        }
        if (s3.Bucket.Versioning == VersioningState.Enabled)
        {
            s3.Response.Headers["x-amz-version-id"] = version.VersionId;
        }
        if (source.Version.VersionId != BucketIndex.NullVersion)
        {
            s3.Response.Headers["x-amz-copy-source-version-id"] = source.Version.VersionId;
        }
        if (s3.Bucket.Shadow is { WriteThrough: true } upstream)
        {
            await shadow.PutAsync(upstream, s3.Key, store.Blobs.PathOf(blob), headers, s3.Aborted);
        }
        var sb = Xml.Start("CopyObjectResult");
        sb.Element("LastModified", Xml.Timestamp(version.Modified)).Element("ETag", Quote(version.ETag)).Append("</CopyObjectResult>");
        await Xml.WriteAsync(s3.Context, sb);
    }
}
