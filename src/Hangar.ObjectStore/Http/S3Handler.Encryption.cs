using System.Buffers;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Encryption;
using Hangar.ObjectStore.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Win32.SafeHandles;

namespace Hangar.ObjectStore.Http;

internal sealed partial class S3Handler
{
    /// <summary>
    /// The key a write must seal with (null: stored as sent) and the marker for its stored headers, or Ok false after
    /// answering the error for an encryption Hangar does not offer (SSE-KMS, an unknown algorithm, a bad SSE-C key).
    /// </summary>
    private async Task<(bool Ok, byte[]? Key, IReadOnlyList<KeyValuePair<string, string>> Marker)> WriteEncryptionAsync(S3Request s3)
    {
        var choice = SseHeaders.Requested(s3.Request, s3.Bucket!);
        if (choice.ErrorCode is not null)
        {
            await s3.ErrorAsync(choice.ErrorCode, choice.Message!);
            return (false, null, []);
        }
        if (!choice.Encrypt)
        {
            return (true, null, []);
        }
        foreach (var (name, value) in choice.Marker)
        {
            s3.Response.Headers[name] = value;
        }
        return (true, choice.CustomerKey ?? stores.Keys.DataKeyFor(s3.Bucket!), choice.Marker);
    }

    /// <summary>
    /// For a version (or upload) sealed with SSE-C: whether the request carries its key (for a copy source, in the
    /// x-amz-copy-source-* headers); false after answering S3's error. Anything else passes.
    /// </summary>
    private static async Task<bool> CustomerKeyCheckAsync(S3Request s3, string storedHeaders, bool copySource)
    {
        if (SseHeaders.CustomerMd5(storedHeaders) is not { } expected)
        {
            return true;
        }
        var (key, md5, code, message) = SseHeaders.CustomerKey(s3.Request, copySource);
        if (code is not null)
        {
            await s3.ErrorAsync(code, message!);
            return false;
        }
        if (key is null)
        {
            await s3.ErrorAsync("InvalidRequest", "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.");
            return false;
        }
        if (md5 != expected)
        {
            await s3.ErrorAsync("AccessDenied", "Access Denied");
            return false;
        }
        return true;
    }

    /// <summary>The key a stored version (or upload) was sealed under; null when it is stored as sent. SSE-C keys must have passed <see cref="CustomerKeyCheckAsync"/>.</summary>
    private byte[]? SealedKey(S3Request s3, BucketRecord bucket, string storedHeaders, bool copySource)
    {
        if (SseHeaders.IsSealed(storedHeaders))
        {
            return stores.Keys.DataKeyFor(bucket);
        }
        return SseHeaders.CustomerMd5(storedHeaders) is null ? null : SseHeaders.CustomerKey(s3.Request, copySource).Key;
    }

    /// <summary>The encryption headers of a stored version or upload, echoed on UploadPart and CompleteMultipartUpload.</summary>
    private static void EchoEncryption(S3Request s3, string storedHeaders)
    {
        if (!storedHeaders.Contains(SseHeaders.Name, StringComparison.Ordinal))
        {
            return;
        }
        foreach (var (name, value) in StoredHeaders.Decode(storedHeaders))
        {
            if (name is SseHeaders.Name or SseHeaders.CustomerAlgorithm or SseHeaders.CustomerKeyMd5)
            {
                s3.Response.Headers[name] = value;
            }
        }
    }

    /// <summary>Like WriteSegmentsAsync for a sealed version: each segment is its own sealed file, decrypted chunk by chunk.</summary>
    private async Task WriteDecryptedSegmentsAsync(S3Request s3, ObjectVersion version, List<(SafeFileHandle Handle, long Offset, long Count)> segments, long start, byte[] key)
    {
        var sizes = SegmentSizes(version, start, segments.Sum(s => s.Count), segments.Count);
        var plain = ArrayPool<byte>.Shared.Rent(ChunkedCipher.ChunkSize);
        try
        {
            for (var i = 0; i < segments.Count; i++)
            {
                var (handle, offset, count) = segments[i];
                foreach (var n in EncryptedBlob.ReadRange(handle, key, sizes[i], offset, count, plain))
                {
                    await s3.Response.Body.WriteAsync(plain.AsMemory(0, n), s3.Aborted);
                    s3.BytesOut += n;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plain, clearArray: true);
        }
    }

    /// <summary>The plaintext size of each segment OpenSegments opened for [start, start+length), in the same order.</summary>
    private static List<long> SegmentSizes(ObjectVersion version, long start, long length, int opened)
    {
        var sizes = new List<long>(opened);
        long position = 0;
        foreach (var (_, size) in version.Parts())
        {
            var segStart = Math.Max(start, position);
            var segEnd = Math.Min(start + length, position + size);
            if (segStart < segEnd || (length == 0 && sizes.Count == 0))
            {
                sizes.Add(size);
            }
            position += size;
        }
        return sizes;
    }

    private Task GetEncryptionAsync(S3Request s3)
    {
        if (s3.Bucket!.DefaultEncryption is not { } algorithm)
        {
            return s3.ErrorAsync("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found");
        }
        var sb = Xml.Start("ServerSideEncryptionConfiguration")
            .Append("<Rule><ApplyServerSideEncryptionByDefault>").Element("SSEAlgorithm", algorithm)
            .Append("</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>");
        return Xml.WriteAsync(s3.Context, sb);
    }

    private async Task PutEncryptionAsync(S3Request s3)
    {
        var doc = await ReadXmlBodyAsync(s3);
        if (doc?.Root is not { } root || root.Name.LocalName != "ServerSideEncryptionConfiguration")
        {
            await s3.ErrorAsync("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
            return;
        }
        var rules = root.Elements().Where(e => e.Name.LocalName == "Rule").ToList();
        var algorithm = rules.SelectMany(r => r.Descendants()).FirstOrDefault(e => e.Name.LocalName == "SSEAlgorithm")?.Value;
        if (rules.Count != 1 || algorithm is null)
        {
            await s3.ErrorAsync("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
            return;
        }
        if (algorithm != SseHeaders.Aes256)
        {
            await s3.ErrorAsync(algorithm.StartsWith("aws:kms", StringComparison.Ordinal) ? "NotImplemented" : "InvalidArgument",
                $"SSEAlgorithm '{algorithm}' is not supported; Hangar offers AES256 (SSE-S3).");
            return;
        }
        if (s3.Bucket!.Shadow is not null)
        {
            await s3.ErrorAsync("NotImplemented", "Server-side encryption is not available on shadow buckets, whose objects are copied to and from the upstream as they are.");
            return;
        }
        stores.Catalog.UpdateBucket(s3.Bucket.Name, b => b with { DefaultEncryption = SseHeaders.Aes256 });
    }

    private Task DeleteEncryptionAsync(S3Request s3)
    {
        stores.Catalog.UpdateBucket(s3.Bucket!.Name, b => b with { DefaultEncryption = null });
        s3.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }
}
