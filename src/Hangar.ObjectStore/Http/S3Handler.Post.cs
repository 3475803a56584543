using System.Buffers;
using System.Globalization;
using System.Text;
using Hangar.ObjectStore.Acl;
using Hangar.ObjectStore.Auth;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Encryption;
using Hangar.ObjectStore.Checksums;
using Hangar.ObjectStore.Objects;
using Hangar.ObjectStore.Post;
using Hangar.ObjectStore.Storage;
using Hangar.ObjectStore.Tagging;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Hangar.ObjectStore.Http;

/// <summary>
/// POST Object (browser uploads): a multipart/form-data body whose fields come first and whose file comes last.
/// The fields are read (at most 20 KB, as S3 allows), the policy's signature and conditions checked, and only
/// then is the file streamed to a temp file — one buffer in memory however large it is. Every refusal is
/// answered after the rest of the body was read, so a browser sees the error rather than a reset connection.
/// </summary>
internal sealed partial class S3Handler
{
    private const int MaxPostFields = 20 * 1024;

    private static bool IsFormUpload(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    private async Task PostObjectAsync(S3Request s3)
    {
        s3.Operation = "PostObject";
        if (!MediaTypeHeaderValue.TryParse(s3.Request.ContentType, out var mediaType)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            await FailPostAsync(s3, new("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data."));
            return;
        }
        using var idle = new BodyIdleTimer(options.BodyIdleTimeout, time, s3.Aborted);
        var reader = new MultipartReader(boundary, new IdleTimedStream(s3.Request.Body, idle));
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        MultipartSection? file = null;
        string fileName = "";
        var preData = 0;
        try
        {
            while (file is null && await reader.ReadNextSectionAsync(s3.Aborted) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name)
                {
                    await FailPostAsync(s3, new("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data."));
                    return;
                }
                if (name.Equals("file", StringComparison.OrdinalIgnoreCase))
                {
                    file = section;
                    var given = HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "";
                    fileName = given[(given.LastIndexOfAny(['/', '\\']) + 1)..];
                    break;
                }
                var value = await ReadFieldAsync(section.Body, MaxPostFields - preData, s3.Aborted);
                if (value is null)
                {
                    await FailPostAsync(s3, new("MaxPostPreDataLengthExceededError", "Your POST request fields preceeding the upload file was too large."));
                    return;
                }
                preData += name.Length + value.Length;
                if (!fields.TryAdd(name, value))
                {
                    await FailPostAsync(s3, new("InvalidArgument", $"The form field '{name}' is given more than once."));
                    return;
                }
            }
        }
        catch (InvalidDataException ex)
        {
            await FailPostAsync(s3, new("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data: " + ex.Message));
            return;
        }
        catch (OperationCanceledException) when (idle.TimedOut)
        {
            await s3.ErrorAsync("RequestTimeout", "Your socket connection to the server was not read from or written to within the timeout period.");
            return;
        }
        if (file is null)
        {
            await FailPostAsync(s3, new("InvalidArgument", "POST requires exactly one file upload per request."));
            return;
        }
        if (await CheckFormAsync(s3, fields, fileName) is not { } form)
        {
            return;
        }
        // Sealed as the bucket's default encryption says (a form carries no SSE headers of its own here).
        var sse = await WriteEncryptionAsync(s3);
        if (!sse.Ok)
        {
            return;
        }
        var body = await ReceiveFileAsync(s3, file.Body, form.Policy, idle, sse.Key);
        if (body.ErrorCode is not null)
        {
            await FailPostAsync(s3, new(body.ErrorCode, body.ErrorMessage!));
            return;
        }
        // Fields after the file are ignored, as S3 does; their bytes are read so the connection stays usable.
        await DrainAsync(s3);
        var store = s3.Store!;
        var (blob, dir) = store.Blobs.Commit(body.TempPath!);
        var version = new ObjectVersion(s3.Key, 0, BucketIndex.NewVersionId(), true, false, blob, null, body.Length, body.Md5Hex,
            time.GetUtcNow().ToUnixTimeMilliseconds(), ObjectAcls.Encode(form.Tags.ApplyTo(SseHeaders.With(form.Headers, sse.Marker)), form.Acl), null, null);
        var versioning = s3.Bucket!.Versioning;
        await store.Index.PutAsync(version, versioning, default, dir);
        if (s3.Bucket.Shadow is { WriteThrough: true } upstream)
        {
            await shadow.PutAsync(upstream, s3.Key, store.Blobs.PathOf(blob), form.Headers, s3.Aborted);
        }
        await AnswerPostAsync(s3, fields, version, versioning == VersioningState.Enabled);
    }

    private sealed record PostForm(PostPolicy? Policy, List<KeyValuePair<string, string>> Headers, AccessControlList Acl, TagSet Tags);

    /// <summary>Signature, policy, access, key and the object's settings from the fields; null after answering the refusal.</summary>
    private async Task<PostForm?> CheckFormAsync(S3Request s3, Dictionary<string, string> fields, string fileName)
    {
        if (!fields.TryGetValue("key", out var key))
        {
            await FailPostAsync(s3, PostPolicyError.MissingField("key"));
            return null;
        }
        // The policy sees the key as it will be stored, with ${filename} expanded.
        fields["key"] = s3.Key = key.Replace("${filename}", fileName, StringComparison.Ordinal);
        var auth = PostSignature.Verify(fields, s3.Catalog);
        if (auth.ErrorCode is not null)
        {
            await FailPostAsync(s3, new(auth.ErrorCode, auth.ErrorMessage!));
            return null;
        }
        PostPolicy? policy = null;
        if (fields.TryGetValue("policy", out var encoded))
        {
            var (parsed, invalid) = PostPolicy.Parse(encoded);
            if ((invalid ?? parsed!.Check(fields, s3.Bucket!.Name, time.GetUtcNow())) is { } error)
            {
                await FailPostAsync(s3, error);
                return null;
            }
            policy = parsed;
        }
        s3.Auth = auth;
        s3.Requester = s3.Catalog.Identities.RequesterFor(auth.Key, s3.Bucket!);
        var refusal = !AuthorizeWithPolicy(s3, AccessNeed.BucketWrite) ? new PostPolicyError("AccessDenied", "Access Denied")
            : s3.Key.Length == 0 ? new PostPolicyError("InvalidArgument", "User key must have a length greater than 0.")
            : s3.Key.Length > 1024 ? new PostPolicyError("KeyTooLongError", "Your key is too long.")
            : null;
        var headers = FormHeaders(fields);
        if (refusal is null && headers.FirstOrDefault(h => h.Value.AsSpan().IndexOfAny('\r', '\n') >= 0) is { Key: { } broken })
        {
            // A header cannot hold a line break, and the stored headers are separated by them.
            refusal = new("InvalidArgument", $"The form field '{broken}' contains a line break, which a header value cannot hold.");
        }
        if (refusal is null && ObjectHeaders.MetadataSize(headers) > 2048)
        {
            refusal = new("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.");
        }
        var ids = s3.Catalog.Identities;
        var bucketOwner = ids.OwnerOf(s3.Bucket!).Id;
        var owner = s3.Requester.Id ?? bucketOwner;
        var acl = fields.TryGetValue("acl", out var canned) ? CannedAcl.Build(canned, owner, bucketOwner) : AccessControlList.Private(owner);
        if (refusal is null && acl is null)
        {
            refusal = new("InvalidArgument", $"Unsupported canned ACL '{canned}': use private, public-read, public-read-write, authenticated-read, bucket-owner-read or bucket-owner-full-control.");
        }
        var tags = TagSet.Empty;
        if (refusal is null && fields.TryGetValue("tagging", out var tagging))
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(tagging));
            var parsed = TagSet.FromXml(Xml.Load(stream));
            refusal = parsed is null ? new("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.")
                : parsed.Validate() is { } invalid ? new(invalid.Code, invalid.Message) : null;
            tags = parsed ?? TagSet.Empty;
        }
        if (refusal is not null)
        {
            await FailPostAsync(s3, refusal);
            return null;
        }
        return new PostForm(policy, headers, acl!, tags);
    }

    private static readonly string[] FormStoredHeaders = ["content-type", "cache-control", "content-disposition", "content-encoding", "content-language", "expires"];

    /// <summary>The headers kept with the object, from the fields PUT takes as headers.</summary>
    private static List<KeyValuePair<string, string>> FormHeaders(Dictionary<string, string> fields)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var name in FormStoredHeaders)
        {
            if (fields.TryGetValue(name, out var value) && value.Length > 0)
            {
                list.Add(new(name, value));
            }
        }
        if (!list.Any(h => h.Key == "content-type"))
        {
            list.Add(new("content-type", "binary/octet-stream"));
        }
        foreach (var (name, value) in fields)
        {
            if (name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            {
                list.Add(new(name.ToLowerInvariant(), value));
            }
        }
        return list;
    }

    /// <summary>A field's value; null when it would take the fields past <paramref name="room"/> bytes.</summary>
    private static async Task<string?> ReadFieldAsync(Stream body, int room, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int n;
        while ((n = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > room)
            {
                return null;
            }
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Streams the file part to an fsynced temp file, stopping as soon as it is over the policy's (or S3's) limit.</summary>
    private static async Task<ReceivedBody> ReceiveFileAsync(S3Request s3, Stream file, PostPolicy? policy, BodyIdleTimer idle, byte[]? sealWith)
    {
        var limit = Math.Min(policy?.MaxLength ?? MaxSinglePut, MaxSinglePut);
        var blobs = s3.Store!.Blobs;
        var tempPath = blobs.NewTempPath();
        var buffer = ArrayPool<byte>.Shared.Rent(IoBuffer);
        var keep = false;
        using var hasher = new BodyHasher(false, ChecksumAlgorithm.None);
        try
        {
            using (var target = blobs.CreateBodyFile(tempPath, 0))
            {
                using var sealer = sealWith is null ? null : new EncryptingStream(target, sealWith);
                Stream sink = sealer is null ? target : sealer;
                int n;
                // The section reads the request body through the idle timer, so a stalled upload ends here too.
                while ((n = await file.ReadAsync(buffer.AsMemory(0, IoBuffer), s3.Aborted)) > 0)
                {
                    if (hasher.Length + n > limit)
                    {
                        return ReceivedBody.Failed("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
                    }
                    hasher.Append(buffer.AsSpan(0, n));
                    sink.Write(buffer, 0, n);
                }
                sealer?.Finish();
                target.Flush(flushToDisk: true);
            }
            s3.BytesIn += hasher.Length;
            if (policy?.CheckLength(hasher.Length) is { } error)
            {
                return ReceivedBody.Failed(error.Code, error.Message);
            }
            keep = true;
            return new ReceivedBody(tempPath, hasher.Length, Convert.ToHexStringLower(hasher.Finish().Md5), ChecksumAlgorithm.None, null, null, null);
        }
        catch (OperationCanceledException) when (idle.TimedOut)
        {
            return ReceivedBody.Failed("RequestTimeout", "Your socket connection to the server was not read from or written to within the timeout period.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!keep)
            {
                BlobStore.DeleteTempFile(tempPath);
            }
        }
    }

    /// <summary>Reads and drops what is left of the request body, so the answer reaches a browser still sending.</summary>
    private async Task DrainAsync(S3Request s3)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(IoBuffer);
        using var idle = new BodyIdleTimer(options.BodyIdleTimeout, time, s3.Aborted);
        try
        {
            while (await idle.ReadAsync(s3.Request.Body, buffer.AsMemory(0, IoBuffer)) > 0)
            {
            }
        }
        catch (OperationCanceledException) when (idle.TimedOut)
        {
            s3.Response.Headers.Connection = "close";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task FailPostAsync(S3Request s3, PostPolicyError error)
    {
        if (error.Code != "RequestTimeout")
        {
            await DrainAsync(s3);
        }
        await s3.ErrorAsync(error.Code, error.Message);
    }

    /// <summary>success_action_redirect (303 with bucket, key and etag), else success_action_status 200, 201 (PostResponse) or 204.</summary>
    private Task AnswerPostAsync(S3Request s3, Dictionary<string, string> fields, ObjectVersion version, bool versioned)
    {
        var response = s3.Response;
        var etag = Quote(version.ETag);
        var bucket = s3.Bucket!.Name;
        var location = $"{s3.Request.Scheme}://{s3.Request.Host}/{(IsVirtualHosted(s3) ? "" : bucket + "/")}{UriEncoding.Encode(s3.Key, keepSlash: true)}";
        response.Headers.ETag = etag;
        response.Headers.Location = location;
        if (versioned)
        {
            response.Headers["x-amz-version-id"] = version.VersionId;
        }
        var redirect = fields.GetValueOrDefault("success_action_redirect") ?? fields.GetValueOrDefault("redirect");
        if (redirect is not null && Uri.TryCreate(redirect, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            response.StatusCode = StatusCodes.Status303SeeOther;
            response.Headers.Location = redirect + (redirect.Contains('?') ? "&" : "?")
                + "bucket=" + Uri.EscapeDataString(bucket) + "&key=" + Uri.EscapeDataString(s3.Key) + "&etag=" + Uri.EscapeDataString(etag);
            return Task.CompletedTask;
        }
        switch (fields.GetValueOrDefault("success_action_status"))
        {
            case "200":
                response.StatusCode = StatusCodes.Status200OK;
                return Task.CompletedTask;
            case "201":
                var sb = Xml.Start("PostResponse");
                sb.Element("Location", location).Element("Bucket", bucket).Element("Key", s3.Key).Element("ETag", etag).Append("</PostResponse>");
                return Xml.WriteAsync(s3.Context, sb, StatusCodes.Status201Created);
            default:
                response.StatusCode = StatusCodes.Status204NoContent;
                return Task.CompletedTask;
        }
    }
}
