using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Checksums;
using Hangar.ObjectStore.Objects;
using Hangar.ObjectStore.Storage;
using Microsoft.Extensions.Logging;

namespace Hangar.ObjectStore.Shadow;

/// <summary>
/// Read-through (and optionally write-through) to the upstream S3 bucket of a shadow bucket: a miss is
/// fetched, stored locally like any PUT, and served; later reads never leave the machine.
/// </summary>
internal sealed class ShadowService(TimeProvider time, ILogger<ShadowService> logger) : IDisposable
{
    private readonly ConcurrentDictionary<ShadowConfig, AmazonS3Client> _clients = new();

    private AmazonS3Client Client(ShadowConfig config) => _clients.GetOrAdd(config, c => new AmazonS3Client(
        new BasicAWSCredentials(c.AccessKey, c.SecretKey),
        new AmazonS3Config
        {
            ServiceURL = c.Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = c.Region ?? "us-east-1",
        }));

    public async Task<ObjectVersion?> FetchAsync(ShadowConfig config, BucketStore store, VersioningState versioning, string key, CancellationToken cancellationToken)
    {
        GetObjectResponse response;
        try
        {
            response = await Client(config).GetObjectAsync(new GetObjectRequest { BucketName = config.Bucket, Key = key }, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return null;
        }
        catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException)
        {
            Log.ShadowFailed(logger, config.Bucket, "GetObject", ex.Message);
            return null;
        }
        using (response)
        {
            var tempPath = store.Blobs.NewTempPath();
            using var hasher = new BodyHasher(false, Checksums.ChecksumAlgorithm.None);
            try
            {
                using (var file = BlobStore.CreateTempFile(tempPath, response.ContentLength))
                {
                    var buffer = new byte[128 * 1024];
                    int n;
                    while ((n = await response.ResponseStream.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        hasher.Append(buffer.AsSpan(0, n));
                        file.Write(buffer, 0, n);
                    }
                    file.Flush(flushToDisk: true);
                }
            }
            catch
            {
                BlobStore.DeleteTempFile(tempPath);
                throw;
            }
            var headers = new List<KeyValuePair<string, string>>
            {
                new("content-type", response.Headers.ContentType ?? "binary/octet-stream"),
            };
            void Add(string name, string? value)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    headers.Add(new(name, value));
                }
            }
            Add("cache-control", response.Headers.CacheControl);
            Add("content-disposition", response.Headers.ContentDisposition);
            Add("content-encoding", response.Headers.ContentEncoding);
            foreach (var name in response.Metadata.Keys)
            {
                headers.Add(new(name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase) ? name.ToLowerInvariant() : "x-amz-meta-" + name.ToLowerInvariant(), response.Metadata[name]));
            }
            var (blob, dir) = store.Blobs.Commit(tempPath);
            var version = new ObjectVersion(key, 0, BucketIndex.NewVersionId(), true, false, blob, null, hasher.Length,
                Convert.ToHexStringLower(hasher.Finish().Md5), response.LastModified is { } lm ? new DateTimeOffset(lm.ToUniversalTime()).ToUnixTimeMilliseconds() : time.GetUtcNow().ToUnixTimeMilliseconds(),
                StoredHeaders.Encode(headers), null, null);
            // If a local write got there first it wins: the upstream copy is only a fallback.
            await store.Index.PutAsync(version, versioning, new WriteCondition(true, null), dir);
            Log.ShadowFetched(logger, config.Bucket, key);
            return store.Index.GetLatest(key);
        }
    }

    public async Task<(List<ListEntry> Entries, bool Truncated)> ListAsync(ShadowConfig config, string prefix, string delimiter, string? startAfter, int maxKeys, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Client(config).ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = config.Bucket,
                Prefix = prefix,
                Delimiter = delimiter.Length == 0 ? null : delimiter,
                StartAfter = startAfter,
                MaxKeys = maxKeys,
            }, cancellationToken);
            var entries = new List<ListEntry>();
            foreach (var o in response.S3Objects ?? [])
            {
                entries.Add(new ListEntry(o.Key, new ObjectVersion(o.Key, 0, BucketIndex.NullVersion, true, false, null, null,
                    o.Size ?? 0, o.ETag?.Trim('"') ?? "", (o.LastModified is { } lm ? new DateTimeOffset(lm.ToUniversalTime()) : time.GetUtcNow()).ToUnixTimeMilliseconds(), "", null, null)));
            }
            foreach (var p in response.CommonPrefixes ?? [])
            {
                entries.Add(new ListEntry(p, null));
            }
            return (entries, response.IsTruncated == true);
        }
        catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException)
        {
            Log.ShadowFailed(logger, config.Bucket, "ListObjectsV2", ex.Message);
            return ([], false);
        }
    }

    public async Task PutAsync(ShadowConfig config, string key, string path, List<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest { BucketName = config.Bucket, Key = key, FilePath = path };
        foreach (var (name, value) in headers)
        {
            if (name == "content-type")
            {
                request.ContentType = value;
            }
            else if (name.StartsWith("x-amz-meta-", StringComparison.Ordinal))
            {
                request.Metadata[name] = value;
            }
            else
            {
                request.Headers[name] = value;
            }
        }
        await Client(config).PutObjectAsync(request, cancellationToken);
    }

    /// <summary>Writes a multipart object upstream part by part: its segments already satisfy S3's part-size rules.</summary>
    public async Task PutMultipartAsync(ShadowConfig config, BucketStore store, ObjectVersion version, List<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var client = Client(config);
        var initiate = new InitiateMultipartUploadRequest { BucketName = config.Bucket, Key = version.Key };
        foreach (var (name, value) in headers)
        {
            if (name == "content-type")
            {
                initiate.ContentType = value;
            }
            else if (name.StartsWith("x-amz-meta-", StringComparison.Ordinal))
            {
                initiate.Metadata[name] = value;
            }
        }
        var upload = await client.InitiateMultipartUploadAsync(initiate, cancellationToken);
        var etags = new List<PartETag>();
        var number = 1;
        foreach (var (blob, size) in version.Parts())
        {
            var part = await client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = config.Bucket, Key = version.Key, UploadId = upload.UploadId, PartNumber = number,
                FilePath = store.Blobs.PathOf(blob), PartSize = size,
            }, cancellationToken);
            etags.Add(new PartETag(number++, part.ETag));
        }
        await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = config.Bucket, Key = version.Key, UploadId = upload.UploadId, PartETags = etags,
        }, cancellationToken);
    }

    public async Task DeleteAsync(ShadowConfig config, string key, CancellationToken cancellationToken)
    {
        await Client(config).DeleteObjectAsync(new DeleteObjectRequest { BucketName = config.Bucket, Key = key }, cancellationToken);
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
