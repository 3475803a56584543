using System.Buffers;
using System.Globalization;
using Hangar.ObjectStore.Acl;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Checksums;
using Hangar.ObjectStore.Encryption;
using Hangar.ObjectStore.Objects;
using Hangar.ObjectStore.Storage;
using Hangar.ObjectStore.Tagging;
using Microsoft.AspNetCore.Http;
using Microsoft.Win32.SafeHandles;

namespace Hangar.ObjectStore.Http;

internal sealed partial class S3Handler
{
    private async Task PutObjectAsync(S3Request s3)
    {
        var sse = await WriteEncryptionAsync(s3);
        if (!sse.Ok)
        {
            return;
        }
        var headers = SseHeaders.With(ObjectHeaders.FromRequest(s3.Request, IsStreaming(s3)), sse.Marker);
        if (ObjectHeaders.MetadataSize(headers) > 2048)
        {
            await s3.ErrorAsync("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.");
            return;
        }
        if (await NewObjectAclAsync(s3) is not { } acl || await RequestedTagsAsync(s3) is not { } tags)
        {
            return;
        }
        var condition = WriteConditionFrom(s3.Request);
        var store = s3.Store!;
        var body = await ReceiveBodyAsync(s3, store.Blobs, sse.Key);
        if (body.ErrorCode is not null)
        {
            await s3.ErrorAsync(body.ErrorCode, body.ErrorMessage!);
            return;
        }
        var (blob, dir) = store.Blobs.Commit(body.TempPath!);
        var version = new ObjectVersion(s3.Key, 0, BucketIndex.NewVersionId(), true, false, blob, null, body.Length, body.Md5Hex,
            time.GetUtcNow().ToUnixTimeMilliseconds(), ObjectAcls.Encode(tags.ApplyTo(headers), acl),
            body.Checksum is null ? null : ChecksumNames.AlgorithmName(body.Algorithm), body.Checksum);
        var versioning = s3.Bucket!.Versioning;
        if (!await store.Index.PutAsync(version, versioning, condition, dir))
        {
            await s3.ErrorAsync("PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
            return;
        }
        s3.Response.Headers.ETag = Quote(body.Md5Hex);
        if (versioning == VersioningState.Enabled)
        {
            s3.Response.Headers["x-amz-version-id"] = version.VersionId;
        }
        if (body.Checksum is not null)
        {
            s3.Response.Headers[ChecksumNames.HeaderName(body.Algorithm)] = body.Checksum;
        }
        if (s3.Bucket.Shadow is { WriteThrough: true } upstream)
        {
            await shadow.PutAsync(upstream, s3.Key, store.Blobs.PathOf(blob), headers, s3.Aborted);
        }
    }

    private static WriteCondition WriteConditionFrom(HttpRequest request)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        var ifMatch = request.Headers.IfMatch.ToString();
        return new WriteCondition(ifNoneMatch.Trim() == "*", ifMatch.Length > 0 ? ifMatch.Trim() : null);
    }

    private static string Quote(string etag) => "\"" + etag + "\"";

    private async Task GetObjectAsync(S3Request s3, bool head, bool website)
    {
        var bucket = s3.Bucket!;
        var key = s3.Key;
        var versionId = s3.Target.Get("versionId");
        website = website && s3.Auth.IsAnonymous && bucket.Public && bucket.IndexDocument is not null;
        if (website && (key.Length == 0 || key.EndsWith('/')))
        {
            key += bucket.IndexDocument;
        }
        var index = s3.Store!.Index;
        var version = versionId is null ? index.GetLatest(key) : index.GetVersion(key, versionId);
        if (version is null && versionId is null && bucket.Shadow is { } upstream)
        {
            version = await shadow.FetchAsync(upstream, s3.Store, bucket.Versioning, key, s3.Aborted);
        }
        if (version is null || (version.DeleteMarker && versionId is null))
        {
            if (version?.DeleteMarker == true)
            {
                s3.Response.Headers["x-amz-delete-marker"] = "true";
                s3.Response.Headers["x-amz-version-id"] = version.VersionId;
            }
            if (website && bucket.ErrorDocument is not null && index.GetLatest(bucket.ErrorDocument) is { DeleteMarker: false } errorDoc)
            {
                await ServeAsync(s3, errorDoc, head, StatusCodes.Status404NotFound, honourRequest: false);
                return;
            }
            if (versionId is not null)
            {
                await s3.ErrorAsync("NoSuchVersion", "The specified version does not exist.");
                return;
            }
            await s3.ErrorAsync("NoSuchKey", "The specified key does not exist.");
            return;
        }
        if (version.DeleteMarker)
        {
            s3.Response.Headers["x-amz-delete-marker"] = "true";
            s3.Response.Headers["x-amz-version-id"] = version.VersionId;
            await s3.ErrorAsync("MethodNotAllowed", "The specified method is not allowed against this resource.");
            return;
        }
        await ServeAsync(s3, version, head, StatusCodes.Status200OK, honourRequest: true);
    }

    private async Task ServeAsync(S3Request s3, ObjectVersion version, bool head, int status, bool honourRequest)
    {
        if (!await CustomerKeyCheckAsync(s3, version.Headers, copySource: false))
        {
            return;
        }
        var request = s3.Request;
        var response = s3.Response;
        var etag = Quote(version.ETag);
        var modified = version.Modified;
        if (honourRequest && EvaluateConditions(request, etag, modified) is { } conditional)
        {
            if (conditional == StatusCodes.Status412PreconditionFailed)
            {
                await s3.ErrorAsync("PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
                return;
            }
            response.StatusCode = conditional;
            response.Headers.ETag = etag;
            response.Headers.LastModified = modified.ToString("R", CultureInfo.InvariantCulture);
            return;
        }
        long start = 0, length = version.Size;
        var rangeHeader = honourRequest ? request.Headers.Range.ToString() : "";
        var partNumber = honourRequest ? s3.Target.Get("partNumber") : null;
        if (rangeHeader.Length > 0)
        {
            switch (ParseRange(rangeHeader, version.Size, out start, out length))
            {
                case RangeResult.Unsatisfiable:
                    response.Headers.ContentRange = "bytes */" + version.Size.ToString(CultureInfo.InvariantCulture);
                    await s3.ErrorAsync("InvalidRange", "The requested range is not satisfiable");
                    return;
                case RangeResult.Satisfiable:
                    status = StatusCodes.Status206PartialContent;
                    break;
                default:
                    start = 0;
                    length = version.Size;
                    break;
            }
        }
        else if (partNumber is not null && version.Segments is not null && int.TryParse(partNumber, out var pn))
        {
            var parts = version.Parts().ToList();
            if (pn < 1 || pn > parts.Count)
            {
                await s3.ErrorAsync("InvalidPartNumber", "The requested partnumber is not satisfiable");
                return;
            }
            start = parts.Take(pn - 1).Sum(p => p.Size);
            length = parts[pn - 1].Size;
            status = StatusCodes.Status206PartialContent;
            response.Headers["x-amz-mp-parts-count"] = parts.Count.ToString(CultureInfo.InvariantCulture);
        }
        // Open every file before answering: a concurrent overwrite may unlink a blob, and an open
        // handle keeps its bytes readable until we are done.
        var handles = head ? null : OpenSegments(s3.Store!, version, start, length);
        if (!head && handles is null)
        {
            var latest = s3.Store!.Index.GetLatest(version.Key);
            if (latest is null || latest.DeleteMarker)
            {
                await s3.ErrorAsync("NoSuchKey", "The specified key does not exist.");
                return;
            }
            version = latest;
            handles = OpenSegments(s3.Store, version, start, length = Math.Min(length, version.Size - start));
            if (handles is null)
            {
                await s3.ErrorAsync("InternalError", "The object's data is missing.");
                return;
            }
        }
        response.StatusCode = status;
        var h = response.Headers;
        h.ETag = Quote(version.ETag);
        h.LastModified = version.Modified.ToString("R", CultureInfo.InvariantCulture);
        h.AcceptRanges = "bytes";
        h.ContentLength = length;
        if (status == StatusCodes.Status206PartialContent)
        {
            h.ContentRange = $"bytes {start}-{start + length - 1}/{version.Size}";
        }
        if (version.VersionId != BucketIndex.NullVersion || s3.Bucket!.Versioning != VersioningState.Unversioned)
        {
            h["x-amz-version-id"] = version.VersionId;
        }
        foreach (var (name, value) in StoredHeaders.Decode(version.Headers))
        {
            if (name == TagSet.HeaderName)
            {
                h["x-amz-tagging-count"] = TagSet.Read(version.Headers).Count.ToString(CultureInfo.InvariantCulture);
            }
            else if (name != ObjectAcls.HeaderName)
            {
                h[name] = value;
            }
        }
        AddExpirationHeader(s3, version);
        if (version.Checksum is not null && request.Headers["x-amz-checksum-mode"] == "ENABLED" && length == version.Size)
        {
            h[ChecksumNames.HeaderName(ChecksumNames.Parse(version.ChecksumAlgorithm))] = version.Checksum;
        }
        if (honourRequest)
        {
            ApplyResponseOverrides(s3);
        }
        if (head || handles is null)
        {
            return;
        }
        try
        {
            if (SealedKey(s3, s3.Bucket!, version.Headers, copySource: false) is { } key)
            {
                await WriteDecryptedSegmentsAsync(s3, version, handles, start, key);
            }
            else
            {
                await WriteSegmentsAsync(s3, handles);
            }
        }
        finally
        {
            foreach (var (handle, _, _) in handles)
            {
                handle.Dispose();
            }
        }
    }

    private static void ApplyResponseOverrides(S3Request s3)
    {
        foreach (var (name, header) in ResponseOverrides)
        {
            if (s3.Target.Get(name) is { } value)
            {
                s3.Response.Headers[header] = value;
            }
        }
    }

    private static readonly (string Query, string Header)[] ResponseOverrides =
    [
        ("response-content-type", "Content-Type"), ("response-content-language", "Content-Language"),
        ("response-expires", "Expires"), ("response-cache-control", "Cache-Control"),
        ("response-content-disposition", "Content-Disposition"), ("response-content-encoding", "Content-Encoding"),
    ];

    private static List<(SafeFileHandle Handle, long Offset, long Count)>? OpenSegments(BucketStore store, ObjectVersion version, long start, long length)
    {
        var list = new List<(SafeFileHandle, long, long)>(1);
        long position = 0;
        foreach (var (blob, size) in version.Parts())
        {
            var segStart = Math.Max(start, position);
            var segEnd = Math.Min(start + length, position + size);
            if (segStart < segEnd || (length == 0 && list.Count == 0))
            {
                SafeFileHandle handle;
                try
                {
                    handle = File.OpenHandle(store.Blobs.PathOf(blob));
                }
                catch (FileNotFoundException)
                {
                    foreach (var (h, _, _) in list)
                    {
                        h.Dispose();
                    }
                    return null;
                }
                list.Add((handle, segStart - position, Math.Max(0, segEnd - segStart)));
            }
            position += size;
        }
        return list;
    }

    private static async Task WriteSegmentsAsync(S3Request s3, List<(SafeFileHandle Handle, long Offset, long Count)> segments)
    {
        long total = 0;
        foreach (var (_, _, count) in segments)
        {
            total += count;
        }
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(IoBuffer, Math.Max(total, 1)));
        try
        {
            var body = s3.Response.Body;
            foreach (var (handle, offset, count) in segments)
            {
                var at = offset;
                var remaining = count;
                while (remaining > 0)
                {
                    var n = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, remaining)), at);
                    if (n == 0)
                    {
                        throw new IOException("Blob is shorter than its index entry.");
                    }
                    await body.WriteAsync(buffer.AsMemory(0, n), s3.Aborted);
                    at += n;
                    remaining -= n;
                    s3.BytesOut += n;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>RFC 7232 evaluation order, with S3's twist that If-Match wins over If-Unmodified-Since.</summary>
    private static int? EvaluateConditions(HttpRequest request, string etag, DateTimeOffset modified)
    {
        var headers = request.Headers;
        var seconds = DateTimeOffset.FromUnixTimeSeconds(modified.ToUnixTimeSeconds());
        var ifMatch = headers.IfMatch.ToString();
        if (ifMatch.Length > 0)
        {
            if (!EtagMatches(ifMatch, etag))
            {
                return StatusCodes.Status412PreconditionFailed;
            }
        }
        else if (TryParseHttpDate(headers.IfUnmodifiedSince.ToString(), out var unmodifiedSince) && seconds > unmodifiedSince)
        {
            return StatusCodes.Status412PreconditionFailed;
        }
        var ifNoneMatch = headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0)
        {
            if (EtagMatches(ifNoneMatch, etag))
            {
                return StatusCodes.Status304NotModified;
            }
        }
        else if (TryParseHttpDate(headers.IfModifiedSince.ToString(), out var modifiedSince) && seconds <= modifiedSince)
        {
            return StatusCodes.Status304NotModified;
        }
        return null;
    }

    private static bool EtagMatches(string header, string etag)
    {
        foreach (var candidate in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var c = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
            if (c == "*" || c == etag || "\"" + c + "\"" == etag)
            {
                return true;
            }
        }
        return false;
    }

    private static bool TryParseHttpDate(string value, out DateTimeOffset date) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);

    private enum RangeResult
    {
        Ignored,
        Satisfiable,
        Unsatisfiable,
    }

    private static RangeResult ParseRange(string header, long size, out long start, out long length)
    {
        start = 0;
        length = size;
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(','))
        {
            return RangeResult.Ignored;
        }
        var spec = header.AsSpan(6).Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return RangeResult.Ignored;
        }
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix))
            {
                return RangeResult.Ignored;
            }
            if (suffix == 0 || size == 0)
            {
                return RangeResult.Unsatisfiable;
            }
            start = Math.Max(0, size - suffix);
            length = size - start;
            return RangeResult.Satisfiable;
        }
        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
        {
            return RangeResult.Ignored;
        }
        long to = size - 1;
        if (!last.IsEmpty)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out to) || to < from)
            {
                return RangeResult.Ignored;
            }
        }
        if (from >= size)
        {
            return RangeResult.Unsatisfiable;
        }
        to = Math.Min(to, size - 1);
        start = from;
        length = to - from + 1;
        return RangeResult.Satisfiable;
    }
}
