using System.Buffers;
using System.Globalization;
using Hangar.ObjectStore.Auth;
using Hangar.ObjectStore.Checksums;
using Hangar.ObjectStore.Encryption;
using Hangar.ObjectStore.Objects;
using Hangar.ObjectStore.Storage;

namespace Hangar.ObjectStore.Http;

internal sealed partial class S3Handler
{
    private const long MaxSinglePut = 5L * 1024 * 1024 * 1024;
    private const int IoBuffer = 256 * 1024;

    private static bool IsStreaming(S3Request s3) =>
        s3.Auth.Payload is PayloadMode.StreamingSigned or PayloadMode.StreamingSignedTrailer or PayloadMode.StreamingUnsignedTrailer;

    private static Stream OpenBody(S3Request s3) =>
        IsStreaming(s3) ? new AwsChunkedStream(s3.Request.Body, s3.Auth.Chunks) : s3.Request.Body;

    /// <summary>
    /// Streams the request body to an fsynced temp file, hashing as it goes, and checks every digest the
    /// client supplied (Content-MD5, x-amz-content-sha256, x-amz-checksum-* header or trailer).
    /// Memory use is one buffer however large the body.
    /// </summary>
    /// <param name="sealWith">A data key: the file holds the body sealed (Encryption/ChunkedCipher.cs), never the plaintext.</param>
    private async Task<ReceivedBody> ReceiveBodyAsync(S3Request s3, BlobStore blobs, byte[]? sealWith = null)
    {
        var headers = s3.Request.Headers;
        long? expected = s3.Request.ContentLength;
        if (IsStreaming(s3))
        {
            expected = long.TryParse(headers["x-amz-decoded-content-length"], NumberStyles.None, CultureInfo.InvariantCulture, out var decoded) ? decoded : null;
            if (expected is null)
            {
                return ReceivedBody.Failed("MissingContentLength", "x-amz-decoded-content-length is required with aws-chunked bodies.");
            }
        }
        else if (expected is null && !headers.ContainsKey("Transfer-Encoding"))
        {
            // Without either framing header Kestrel reads an empty body and would parse the bytes the
            // client sends anyway as the next request.
            return ReceivedBody.Failed("MissingContentLength", "You must provide the Content-Length HTTP header.");
        }
        if (expected > MaxSinglePut)
        {
            return ReceivedBody.Failed("EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
        }
        byte[]? contentMd5 = null;
        var md5Header = headers.ContentMD5.ToString();
        if (md5Header.Length > 0)
        {
            contentMd5 = new byte[16];
            if (!Convert.TryFromBase64String(md5Header, contentMd5, out var md5Len) || md5Len != 16)
            {
                return ReceivedBody.Failed("InvalidDigest", "The Content-MD5 you specified was invalid.");
            }
        }
        var (algorithm, expectedChecksum) = RequestedChecksum(s3);
        using var hasher = new BodyHasher(s3.Auth.Payload == PayloadMode.Sha256, algorithm);
        var tempPath = blobs.NewTempPath();
        var body = OpenBody(s3);
        var buffer = ArrayPool<byte>.Shared.Rent(IoBuffer);
        var keep = false;
        using var idle = new BodyIdleTimer(options.BodyIdleTimeout, time, s3.Aborted);
        try
        {
            try
            {
                using var file = blobs.CreateBodyFile(tempPath, expected is { } size && sealWith is not null ? ChunkedCipher.StoredSize(size) : expected ?? 0);
                using var sealer = sealWith is null ? null : new EncryptingStream(file, sealWith);
                Stream sink = sealer is null ? file : sealer;
                int n;
                while ((n = await idle.ReadAsync(body, buffer.AsMemory(0, IoBuffer))) > 0)
                {
                    hasher.Append(buffer.AsSpan(0, n));
                    sink.Write(buffer, 0, n);
                }
                sealer?.Finish();
                if (body is AwsChunkedStream chunked && chunked.Error is not null)
                {
                    return ReceivedBody.Failed(chunked.Error, chunked.ErrorMessage ?? chunked.Error);
                }
                if (expected is not null && hasher.Length != expected)
                {
                    return ReceivedBody.Failed("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.");
                }
                file.Flush(flushToDisk: true);
            }
            catch (IOException ex) when (StorageSpace.IsDiskFull(ex))
            {
                // Answer only after the client has sent its body: an answer mid-upload reaches most clients
                // as a reset. With Expect: 100-continue nothing was sent yet, and nothing more will be.
                Log.StorageFull(logger, s3.Operation, s3.Resource, ex.Message);
                if (hasher.Length > 0 || !s3.Request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase))
                {
                    while (await body.ReadAsync(buffer.AsMemory(0, IoBuffer), s3.Aborted) > 0)
                    {
                    }
                }
                return ReceivedBody.Failed(S3Errors.StorageFull, S3Errors.StorageFullMessage);
            }
            s3.BytesIn += hasher.Length;
            var hashes = hasher.Finish();
            if (contentMd5 is not null && !contentMd5.AsSpan().SequenceEqual(hashes.Md5))
            {
                return ReceivedBody.Failed("BadDigest", "The Content-MD5 you specified did not match what we received.");
            }
            if (s3.Auth.PayloadSha256 is { } sha && !string.Equals(sha, hashes.Sha256Hex, StringComparison.OrdinalIgnoreCase))
            {
                return ReceivedBody.Failed("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
            }
            if (expectedChecksum is null && algorithm != ChecksumAlgorithm.None && body is AwsChunkedStream withTrailers)
            {
                withTrailers.Trailers.TryGetValue(ChecksumNames.HeaderName(algorithm), out expectedChecksum);
            }
            if (expectedChecksum is not null && expectedChecksum != hashes.Checksum)
            {
                return ReceivedBody.Failed("BadDigest", $"The {ChecksumNames.AlgorithmName(algorithm)} you specified did not match the calculated checksum.");
            }
            keep = true;
            return new ReceivedBody(tempPath, hasher.Length, Convert.ToHexStringLower(hashes.Md5), algorithm,
                expectedChecksum is null ? null : hashes.Checksum, null, null);
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

    private static (ChecksumAlgorithm Algorithm, string? Value) RequestedChecksum(S3Request s3)
    {
        var headers = s3.Request.Headers;
        foreach (var algorithm in ChecksumNames.All)
        {
            var value = headers[ChecksumNames.HeaderName(algorithm)].ToString();
            if (value.Length > 0)
            {
                return (algorithm, value);
            }
        }
        var trailer = ChecksumNames.Parse(headers["x-amz-trailer"].ToString().Replace("x-amz-checksum-", "", StringComparison.OrdinalIgnoreCase));
        if (trailer != ChecksumAlgorithm.None)
        {
            return (trailer, null);
        }
        return (ChecksumNames.Parse(headers["x-amz-sdk-checksum-algorithm"].ToString()), null);
    }

    /// <summary>Copies [offset, offset+length) of a stored object into a new fsynced temp file.</summary>
    /// <param name="sourceKey">The source version's data key when it is sealed.</param>
    /// <param name="targetKey">A data key to seal the copy with.</param>
    private static ReceivedBody CopyToTemp(BucketStore source, ObjectVersion version, long offset, long length,
        BlobStore target, CancellationToken cancellationToken, byte[]? sourceKey = null, byte[]? targetKey = null)
    {
        var tempPath = target.NewTempPath();
        using var hasher = new BodyHasher(false, ChecksumAlgorithm.None);
        var buffer = ArrayPool<byte>.Shared.Rent(IoBuffer);
        var keep = false;
        try
        {
            using (var file = target.CreateBodyFile(tempPath, targetKey is null ? length : ChunkedCipher.StoredSize(length)))
            using (var sealer = targetKey is null ? null : new EncryptingStream(file, targetKey))
            {
                Stream sink = sealer is null ? file : sealer;
                long position = 0;
                foreach (var (blob, size) in version.Parts())
                {
                    var segStart = Math.Max(offset, position);
                    var segEnd = Math.Min(offset + length, position + size);
                    if (segStart < segEnd)
                    {
                        using var handle = File.OpenHandle(source.Blobs.PathOf(blob));
                        var at = segStart - position;
                        var remaining = segEnd - segStart;
                        if (sourceKey is not null)
                        {
                            var plain = new byte[ChunkedCipher.ChunkSize];
                            foreach (var got in EncryptedBlob.ReadRange(handle, sourceKey, size, at, remaining, plain))
                            {
                                cancellationToken.ThrowIfCancellationRequested();
                                hasher.Append(plain.AsSpan(0, got));
                                sink.Write(plain, 0, got);
                            }
                            remaining = 0;
                        }
                        while (remaining > 0)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            var n = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(IoBuffer, remaining)), at);
                            if (n == 0)
                            {
                                throw new IOException($"Blob {blob} is shorter than its index entry.");
                            }
                            hasher.Append(buffer.AsSpan(0, n));
                            sink.Write(buffer, 0, n);
                            at += n;
                            remaining -= n;
                        }
                    }
                    position += size;
                }
                sealer?.Finish();
                file.Flush(flushToDisk: true);
            }
            keep = true;
            return new ReceivedBody(tempPath, hasher.Length, Convert.ToHexStringLower(hasher.Finish().Md5), ChecksumAlgorithm.None, null, null, null);
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
}
