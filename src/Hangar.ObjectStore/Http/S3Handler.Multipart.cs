using System.Globalization;
using System.Text;
using Hangar.ObjectStore.Acl;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Encryption;
using Hangar.ObjectStore.Multipart;
using Hangar.ObjectStore.Objects;
using Hangar.ObjectStore.Storage;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Http;

internal sealed partial class S3Handler
{
    private async Task CreateUploadAsync(S3Request s3)
    {
        if (await NewObjectAclAsync(s3) is not { } acl || await RequestedTagsAsync(s3) is not { } tags)
        {
            return;
        }
        var sse = await WriteEncryptionAsync(s3);
        if (!sse.Ok)
        {
            return;
        }
        // The SSE marker, the ACL and the tags ride in the upload's headers: every part is sealed, and they become the
        // object's at completion.
        var headers = SseHeaders.With(tags.ApplyTo(ObjectHeaders.FromRequest(s3.Request, IsStreaming(s3))), sse.Marker);
        var upload = new UploadRecord(BucketIndex.NewVersionId(), s3.Key, time.GetUtcNow().ToUnixTimeMilliseconds(),
            ObjectAcls.Encode(headers, acl), s3.Request.Headers["x-amz-checksum-algorithm"].ToString() is { Length: > 0 } a ? a : null);
        await s3.Store!.Index.CreateUploadAsync(upload);
        var sb = Xml.Start("InitiateMultipartUploadResult");
        sb.Element("Bucket", s3.Bucket!.Name).Element("Key", s3.Key).Element("UploadId", upload.UploadId).Append("</InitiateMultipartUploadResult>");
        await Xml.WriteAsync(s3.Context, sb);
    }

    private async Task UploadPartAsync(S3Request s3)
    {
        var uploadId = s3.Target.Get("uploadId")!;
        if (!int.TryParse(s3.Target.Get("partNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var partNumber) || partNumber is < 1 or > 10000)
        {
            await s3.ErrorAsync("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
            return;
        }
        var store = s3.Store!;
        var upload = store.Index.GetUpload(uploadId);
        if (upload is null || upload.Key != s3.Key)
        {
            await s3.ErrorAsync("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
            return;
        }
        ReceivedBody body;
        var isCopy = s3.Request.Headers.ContainsKey("x-amz-copy-source");
        // An SSE-C upload's parts each come with the customer's key, as S3 requires.
        if (!await CustomerKeyCheckAsync(s3, upload.Headers, copySource: false))
        {
            return;
        }
        var sealWith = SealedKey(s3, s3.Bucket!, upload.Headers, copySource: false);
        EchoEncryption(s3, upload.Headers);
        if (isCopy)
        {
            if (await ResolveCopySourceAsync(s3) is not { } source)
            {
                return;
            }
            long start = 0, length = source.Version.Size;
            var range = s3.Request.Headers["x-amz-copy-source-range"].ToString();
            if (range.Length > 0 && ParseRange(range, source.Version.Size, out start, out length) != RangeResult.Satisfiable)
            {
                await s3.ErrorAsync("InvalidRange", "The requested range is not satisfiable");
                return;
            }
            if (!await CustomerKeyCheckAsync(s3, source.Version.Headers, copySource: true))
            {
                return;
            }
            var sourceKey = SealedKey(s3, source.Bucket, source.Version.Headers, copySource: true);
            body = await Task.Run(() => CopyToTemp(source.Store, source.Version, start, length, store.Blobs, s3.Aborted, sourceKey, sealWith), s3.Aborted);
        }
        else
        {
            body = await ReceiveBodyAsync(s3, store.Blobs, sealWith);
            if (body.ErrorCode is not null)
            {
                await s3.ErrorAsync(body.ErrorCode, body.ErrorMessage!);
                return;
            }
        }
        var (blob, dir) = store.Blobs.Commit(body.TempPath!);
        var part = new PartRecord(partNumber, blob, body.Length, body.Md5Hex, time.GetUtcNow().ToUnixTimeMilliseconds());
        if (!await store.Index.PutPartAsync(uploadId, part, dir))
        {
            await s3.ErrorAsync("NoSuchUpload", "The specified upload does not exist.");
            return;
        }
        if (isCopy)
        {
            var sb = Xml.Start("CopyPartResult");
            sb.Element("LastModified", Xml.Timestamp(DateTimeOffset.FromUnixTimeMilliseconds(part.ModifiedMs))).Element("ETag", Quote(part.ETag)).Append("</CopyPartResult>");
            await Xml.WriteAsync(s3.Context, sb);
            return;
        }
        s3.Response.Headers.ETag = Quote(part.ETag);
        if (body.Checksum is not null)
        {
            s3.Response.Headers[Checksums.ChecksumNames.HeaderName(body.Algorithm)] = body.Checksum;
        }
    }

    private async Task CompleteUploadAsync(S3Request s3)
    {
        var uploadId = s3.Target.Get("uploadId")!;
        var doc = await ReadXmlBodyAsync(s3);
        if (doc?.Root?.Name.LocalName != "CompleteMultipartUpload")
        {
            await s3.ErrorAsync("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
            return;
        }
        var requested = new List<(int, string)>();
        foreach (var part in doc.Root.Elements().Where(e => e.Name.LocalName == "Part"))
        {
            var number = part.Elements().FirstOrDefault(e => e.Name.LocalName == "PartNumber")?.Value;
            var etag = part.Elements().FirstOrDefault(e => e.Name.LocalName == "ETag")?.Value;
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || etag is null)
            {
                await s3.ErrorAsync("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
                return;
            }
            requested.Add((n, etag.Trim().Trim('"')));
        }
        var result = await s3.Store!.Index.CompleteUploadAsync(uploadId, s3.Key, requested, s3.Bucket!.Versioning, WriteConditionFrom(s3.Request));
        switch (result.Status)
        {
            case CompleteStatus.NoSuchUpload:
                await s3.ErrorAsync("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
                return;
            case CompleteStatus.InvalidPart:
                await s3.ErrorAsync("InvalidPart", "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.");
                return;
            case CompleteStatus.InvalidPartOrder:
                await s3.ErrorAsync("InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
                return;
            case CompleteStatus.EntityTooSmall:
                await s3.ErrorAsync("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
                return;
            case CompleteStatus.PreconditionFailed:
                await s3.ErrorAsync("PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
                return;
        }
        var version = result.Version!;
        EchoEncryption(s3, version.Headers);
        if (s3.Bucket.Versioning == VersioningState.Enabled)
        {
            s3.Response.Headers["x-amz-version-id"] = version.VersionId;
        }
        if (s3.Bucket.Shadow is { WriteThrough: true } upstream)
        {
            await shadow.PutMultipartAsync(upstream, s3.Store, version, ObjectAcls.Strip(StoredHeaders.Decode(version.Headers)), s3.Aborted);
        }
        var scheme = s3.Request.Scheme;
        var sb = Xml.Start("CompleteMultipartUploadResult");
        sb.Element("Location", $"{scheme}://{s3.Request.Host}/{s3.Bucket.Name}/{Auth.UriEncoding.Encode(s3.Key, true)}")
            .Element("Bucket", s3.Bucket.Name).Element("Key", s3.Key).Element("ETag", Quote(version.ETag))
            .Append("</CompleteMultipartUploadResult>");
        await Xml.WriteAsync(s3.Context, sb);
    }

    private async Task AbortUploadAsync(S3Request s3)
    {
        if (!await s3.Store!.Index.AbortUploadAsync(s3.Target.Get("uploadId")!))
        {
            await s3.ErrorAsync("NoSuchUpload", "The specified upload does not exist.");
            return;
        }
        s3.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task ListPartsAsync(S3Request s3)
    {
        var uploadId = s3.Target.Get("uploadId")!;
        var upload = s3.Store!.Index.GetUpload(uploadId);
        if (upload is null || upload.Key != s3.Key)
        {
            await s3.ErrorAsync("NoSuchUpload", "The specified upload does not exist.");
            return;
        }
        var maxParts = int.TryParse(s3.Target.Get("max-parts"), NumberStyles.None, CultureInfo.InvariantCulture, out var mp) ? Math.Min(mp, 1000) : 1000;
        var marker = int.TryParse(s3.Target.Get("part-number-marker"), NumberStyles.None, CultureInfo.InvariantCulture, out var pm) ? pm : 0;
        var parts = s3.Store.Index.ListParts(uploadId, marker, maxParts + 1);
        var truncated = parts.Count > maxParts;
        if (truncated)
        {
            parts.RemoveAt(parts.Count - 1);
        }
        var sb = Xml.Start("ListPartsResult");
        sb.Element("Bucket", s3.Bucket!.Name).Element("Key", s3.Key).Element("UploadId", uploadId);
        AppendOwner(sb, s3, upload.Headers, "Initiator");
        AppendOwner(sb, s3, upload.Headers)
            .Element("StorageClass", "STANDARD").Element("PartNumberMarker", marker)
            .Element("NextPartNumberMarker", parts.Count > 0 ? parts[^1].PartNumber : marker)
            .Element("MaxParts", maxParts).Element("IsTruncated", truncated);
        foreach (var p in parts)
        {
            sb.Append("<Part>").Element("PartNumber", p.PartNumber).Element("LastModified", Xml.Timestamp(DateTimeOffset.FromUnixTimeMilliseconds(p.ModifiedMs)))
                .Element("ETag", Quote(p.ETag)).Element("Size", p.Size).Append("</Part>");
        }
        sb.Append("</ListPartsResult>");
        await Xml.WriteAsync(s3.Context, sb);
    }

    private async Task ListUploadsAsync(S3Request s3)
    {
        var q = s3.Target;
        var prefix = q.Get("prefix") ?? "";
        var keyMarker = q.Get("key-marker") ?? "";
        var uploadMarker = q.Get("upload-id-marker");
        var maxUploads = int.TryParse(q.Get("max-uploads"), NumberStyles.None, CultureInfo.InvariantCulture, out var mu) ? Math.Min(mu, 1000) : 1000;
        var prefixBytes = Encoding.UTF8.GetBytes(prefix);
        var from = keyMarker.Length > 0 && KeyOrder.Compare(keyMarker, prefix) >= 0 ? Encoding.UTF8.GetBytes(keyMarker) : prefixBytes;
        var uploads = s3.Store!.Index.ListUploads(from, keyMarker.Length > 0 ? uploadMarker ?? "" : null, prefix.Length == 0 ? null : KeyOrder.PrefixUpperBound(prefixBytes), maxUploads + 1);
        var truncated = uploads.Count > maxUploads;
        if (truncated)
        {
            uploads.RemoveAt(uploads.Count - 1);
        }
        var sb = Xml.Start("ListMultipartUploadsResult");
        sb.Element("Bucket", s3.Bucket!.Name).Element("KeyMarker", keyMarker).Element("UploadIdMarker", uploadMarker ?? "")
            .Element("Prefix", prefix).Element("MaxUploads", maxUploads).Element("IsTruncated", truncated);
        if (truncated && uploads.Count > 0)
        {
            sb.Element("NextKeyMarker", uploads[^1].Key).Element("NextUploadIdMarker", uploads[^1].UploadId);
        }
        foreach (var u in uploads)
        {
            sb.Append("<Upload>").Element("Key", u.Key).Element("UploadId", u.UploadId);
            AppendOwner(sb, s3, u.Headers, "Initiator");
            AppendOwner(sb, s3, u.Headers)
                .Element("StorageClass", "STANDARD").Element("Initiated", Xml.Timestamp(DateTimeOffset.FromUnixTimeMilliseconds(u.InitiatedMs)))
                .Append("</Upload>");
        }
        sb.Append("</ListMultipartUploadsResult>");
        await Xml.WriteAsync(s3.Context, sb);
    }
}
