using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace Hangar.ObjectStore.Tests;

/// <summary>The AWS SDK for .NET against the real server, over HTTP and HTTPS.</summary>
public sealed class SdkObjectTests(S3Fixture fx) : IClassFixture<S3Fixture>
{
    private static string NewBucket() => "b-" + Guid.NewGuid().ToString("N")[..12];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PutGetHeadDelete_RoundTripsBodyAndMetadata(bool https)
    {
        using var s3 = fx.Client(https: https);
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        var body = RandomNumberGenerator.GetBytes(300_000);
        var put = new PutObjectRequest
        {
            BucketName = bucket, Key = "dir/ünïcødé key+plus.bin", InputStream = new MemoryStream(body),
            ContentType = "application/x-test", ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
        };
        put.Metadata["color"] = "blue";
        put.Headers.CacheControl = "max-age=60";
        put.Headers.ContentDisposition = "attachment; filename=x.bin";
        var putResponse = await s3.PutObjectAsync(put);
        Assert.Equal("\"" + Convert.ToHexStringLower(MD5.HashData(body)) + "\"", putResponse.ETag);

        using var get = await s3.GetObjectAsync(bucket, "dir/ünïcødé key+plus.bin");
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy);
        Assert.Equal(body, copy.ToArray());
        Assert.Equal("application/x-test", get.Headers.ContentType);
        Assert.Equal("blue", get.Metadata["color"]);
        Assert.Equal("max-age=60", get.Headers.CacheControl);
        Assert.Equal("attachment; filename=x.bin", get.Headers.ContentDisposition);

        var head = await s3.GetObjectMetadataAsync(bucket, "dir/ünïcødé key+plus.bin");
        Assert.Equal(body.Length, head.ContentLength);

        await s3.DeleteObjectAsync(bucket, "dir/ünïcødé key+plus.bin");
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "dir/ünïcødé key+plus.bin"));
        Assert.Equal("NoSuchKey", missing.ErrorCode);
        await s3.DeleteBucketAsync(bucket);
    }

    [Fact]
    public async Task Range_AndConditionalGets()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        var body = Encoding.ASCII.GetBytes("0123456789abcdefghij");
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "r", InputStream = new MemoryStream(body) });

        using (var r = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r", ByteRange = new ByteRange(5, 9) }))
        {
            Assert.Equal(HttpStatusCode.PartialContent, r.HttpStatusCode);
            Assert.Equal("56789", await new StreamReader(r.ResponseStream).ReadToEndAsync());
        }
        using (var r = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r", ByteRange = new ByteRange("bytes=-3") }))
        {
            Assert.Equal("hij", await new StreamReader(r.ResponseStream).ReadToEndAsync());
        }
        var invalid = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r", ByteRange = new ByteRange(100, 200) }));
        Assert.Equal("InvalidRange", invalid.ErrorCode);

        var failed = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r", EtagToMatch = "\"nope\"" }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, failed.StatusCode);
        var notModified = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r", EtagToNotMatch = put.ETag }));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        var unmodified = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r", UnmodifiedSinceDate = DateTime.UtcNow.AddDays(-1) }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, unmodified.StatusCode);
        var modifiedSince = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r", ModifiedSinceDate = DateTime.UtcNow.AddDays(1) }));
        Assert.Equal(HttpStatusCode.NotModified, modifiedSince.StatusCode);
        using (var ok = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r", EtagToMatch = put.ETag }))
        {
            Assert.Equal(HttpStatusCode.OK, ok.HttpStatusCode);
        }
    }

    [Fact]
    public async Task ConditionalWrite_IfNoneMatchStar_RefusesExistingKey()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "once", ContentBody = "first", IfNoneMatch = "*" });
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "once", ContentBody = "second", IfNoneMatch = "*" }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, e.StatusCode);
        using var get = await s3.GetObjectAsync(bucket, "once");
        Assert.Equal("first", await new StreamReader(get.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task Checksums_AndContentMd5_AreVerified()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        foreach (var algorithm in new[] { ChecksumAlgorithm.CRC32, ChecksumAlgorithm.SHA256, ChecksumAlgorithm.SHA1 })
        {
            var response = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "c-" + algorithm, ContentBody = "checksummed", ChecksumAlgorithm = algorithm });
            Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
        }
        // CRC32C("123456789") = e3069283, CRC32 = cbf43926: the standard check values, as S3 encodes them.
        var crc32c = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "check", ContentBody = "123456789", ChecksumCRC32C = Convert.ToBase64String(Convert.FromHexString("e3069283")) });
        Assert.Equal(HttpStatusCode.OK, crc32c.HttpStatusCode);
        var wrong = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "check", ContentBody = "123456789", ChecksumCRC32 = Convert.ToBase64String(Convert.FromHexString("00000000")) }));
        Assert.Equal("BadDigest", wrong.ErrorCode);
        var badMd5 = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "md5", ContentBody = "abc", MD5Digest = Convert.ToBase64String(MD5.HashData("xyz"u8.ToArray())) }));
        Assert.Equal("BadDigest", badMd5.ErrorCode);
        using var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "check", ChecksumMode = ChecksumMode.ENABLED });
        Assert.Equal("123456789", await new StreamReader(get.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task CopyObject_CopiesOrReplacesMetadata()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        var put = new PutObjectRequest { BucketName = bucket, Key = "src", ContentBody = "copy me", ContentType = "text/plain" };
        put.Metadata["a"] = "1";
        await s3.PutObjectAsync(put);
        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "src", DestinationBucket = bucket, DestinationKey = "copied" });
        var copied = await s3.GetObjectMetadataAsync(bucket, "copied");
        Assert.Equal("1", copied.Metadata["a"]);
        Assert.Equal("text/plain", copied.Headers.ContentType);
        var replace = new CopyObjectRequest
        {
            SourceBucket = bucket, SourceKey = "src", DestinationBucket = bucket, DestinationKey = "replaced",
            MetadataDirective = S3MetadataDirective.REPLACE, ContentType = "application/json",
        };
        replace.Metadata["b"] = "2";
        await s3.CopyObjectAsync(replace);
        var replaced = await s3.GetObjectMetadataAsync(bucket, "replaced");
        Assert.Equal("2", replaced.Metadata["b"]);
        Assert.DoesNotContain("x-amz-meta-a", replaced.Metadata.Keys);
        Assert.Equal("application/json", replaced.Headers.ContentType);
        using var get = await s3.GetObjectAsync(bucket, "replaced");
        Assert.Equal("copy me", await new StreamReader(get.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task Multipart_CompletesWithS3Etag_AndEnforcesPartRules()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        var part1 = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
        var part2 = RandomNumberGenerator.GetBytes(1234);
        var init = await s3.InitiateMultipartUploadAsync(bucket, "mp");
        var p1 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "mp", UploadId = init.UploadId, PartNumber = 1, InputStream = new MemoryStream(part1) });
        var p2 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "mp", UploadId = init.UploadId, PartNumber = 2, InputStream = new MemoryStream(part2) });

        var uploads = await s3.ListMultipartUploadsAsync(bucket);
        Assert.Contains(uploads.MultipartUploads, u => u.UploadId == init.UploadId);
        var parts = await s3.ListPartsAsync(bucket, "mp", init.UploadId);
        Assert.Equal([1, 2], parts.Parts.Select(p => p.PartNumber!.Value));

        // (InvalidPartOrder is covered by the boto3 script: this SDK sorts parts before sending.)
        var invalid = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = "mp", UploadId = init.UploadId, PartETags = [new PartETag(1, "\"0000\""), new PartETag(2, p2.ETag)],
        }));
        Assert.Equal("InvalidPart", invalid.ErrorCode);

        var done = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = "mp", UploadId = init.UploadId, PartETags = [new PartETag(1, p1.ETag), new PartETag(2, p2.ETag)],
        });
        var expectedEtag = Convert.ToHexStringLower(MD5.HashData(MD5.HashData(part1).Concat(MD5.HashData(part2)).ToArray())) + "-2";
        Assert.Equal("\"" + expectedEtag + "\"", done.ETag);
        using (var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "mp", ByteRange = new ByteRange(part1.Length - 10, part1.Length + 9) }))
        {
            using var ms = new MemoryStream();
            await get.ResponseStream.CopyToAsync(ms);
            Assert.Equal(part1[^10..].Concat(part2[..10]).ToArray(), ms.ToArray());
        }

        // A small first part is refused at completion.
        var small = await s3.InitiateMultipartUploadAsync(bucket, "small");
        var s1 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "small", UploadId = small.UploadId, PartNumber = 1, InputStream = new MemoryStream(part2) });
        var s2 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "small", UploadId = small.UploadId, PartNumber = 2, InputStream = new MemoryStream(part2) });
        var tooSmall = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = "small", UploadId = small.UploadId, PartETags = [new PartETag(1, s1.ETag), new PartETag(2, s2.ETag)],
        }));
        Assert.Equal("EntityTooSmall", tooSmall.ErrorCode);
        await s3.AbortMultipartUploadAsync(bucket, "small", small.UploadId);
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListPartsAsync(bucket, "small", small.UploadId));
        Assert.Equal("NoSuchUpload", gone.ErrorCode);

        // UploadPartCopy from the completed object.
        var copyUpload = await s3.InitiateMultipartUploadAsync(bucket, "pc");
        var cp = await s3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = bucket, SourceKey = "mp", DestinationBucket = bucket, DestinationKey = "pc", UploadId = copyUpload.UploadId,
            PartNumber = 1, FirstByte = 0, LastByte = 99,
        });
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = "pc", UploadId = copyUpload.UploadId, PartETags = [new PartETag(1, cp.ETag)],
        });
        var pcHead = await s3.GetObjectMetadataAsync(bucket, "pc");
        Assert.Equal(100, pcHead.ContentLength);
    }

    [Fact]
    public async Task Listing_V1AndV2_PrefixDelimiterPagination_Utf8Order()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        string[] keys = ["a/1", "a/2", "a/b/3", "b", "c/x", "é", "z", "\U0001F600", "\uFF5E"];
        foreach (var key in keys)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = key });
        }
        var all = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        // UTF-8 byte order puts U+FF5E (EF BD 9E) before U+1F600 (F0 9F 98 80), unlike UTF-16 order.
        Assert.Equal(["a/1", "a/2", "a/b/3", "b", "c/x", "z", "é", "\uFF5E", "\U0001F600"], all.S3Objects.Select(o => o.Key));

        var delimited = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/" });
        Assert.Equal(["a/", "c/"], delimited.CommonPrefixes);
        Assert.Equal(["b", "z", "é", "\uFF5E", "\U0001F600"], delimited.S3Objects.Select(o => o.Key));

        var under = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "a/", Delimiter = "/" });
        Assert.Equal(["a/b/"], under.CommonPrefixes);
        Assert.Equal(["a/1", "a/2"], under.S3Objects.Select(o => o.Key));

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 2, Delimiter = "/", ContinuationToken = token });
            seen.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            seen.AddRange(page.CommonPrefixes ?? []);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        Assert.Equal(7, seen.Count);
        Assert.Equal(7, seen.Distinct().Count());

        var v1 = new List<string>();
        string? marker = null;
        do
        {
            var page = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, MaxKeys = 3, Marker = marker });
            v1.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            marker = page.IsTruncated == true ? page.NextMarker ?? page.S3Objects![^1].Key : null;
        }
        while (marker is not null);
        Assert.Equal(keys.Length, v1.Count);

        var after = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, StartAfter = "b" });
        Assert.Equal("c/x", after.S3Objects[0].Key);
    }

    [Fact]
    public async Task DeleteObjects_RemovesMany()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        for (var i = 0; i < 5; i++)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k" + i, ContentBody = "x" });
        }
        var result = await s3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = bucket, Objects = [new KeyVersion { Key = "k0" }, new KeyVersion { Key = "k1" }, new KeyVersion { Key = "missing" }],
        });
        Assert.Equal(3, result.DeletedObjects.Count);
        var list = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal(["k2", "k3", "k4"], list.S3Objects.Select(o => o.Key));
        var notEmpty = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.DeleteBucketAsync(bucket));
        Assert.Equal("BucketNotEmpty", notEmpty.ErrorCode);
    }

    [Fact]
    public async Task Versioning_KeepsVersions_DeleteMarkers_AndNullVersion()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "v", ContentBody = "before" });
        var before = await s3.ListVersionsAsync(bucket);
        Assert.Equal("null", Assert.Single(before.Versions).VersionId);

        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        Assert.Equal(VersionStatus.Enabled, (await s3.GetBucketVersioningAsync(bucket)).VersioningConfig.Status);
        var v1 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "v", ContentBody = "one" });
        var v2 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "v", ContentBody = "two" });
        Assert.NotEqual(v1.VersionId, v2.VersionId);
        using (var old = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "v", VersionId = v1.VersionId }))
        {
            Assert.Equal("one", await new StreamReader(old.ResponseStream).ReadToEndAsync());
        }
        var marker = await s3.DeleteObjectAsync(bucket, "v");
        Assert.Equal("true", marker.DeleteMarker);
        var hidden = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "v"));
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        var versions = await s3.ListVersionsAsync(bucket);
        Assert.Equal(4, versions.Versions.Count);
        Assert.True(versions.Versions[0].IsDeleteMarker);
        Assert.Contains(versions.Versions, v => v.VersionId == "null");

        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "v", VersionId = marker.VersionId });
        using (var back = await s3.GetObjectAsync(bucket, "v"))
        {
            Assert.Equal("two", await new StreamReader(back.ResponseStream).ReadToEndAsync());
            Assert.Equal(v2.VersionId, back.VersionId);
        }
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "v", VersionId = v2.VersionId });
        using (var previous = await s3.GetObjectAsync(bucket, "v"))
        {
            Assert.Equal("one", await new StreamReader(previous.ResponseStream).ReadToEndAsync());
        }
    }

    [Fact]
    public async Task BucketOperations_CreateListHeadLocationAcl()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, CannedACL = S3CannedACL.PublicRead });
        // Re-creating with the same ACL is a no-op; with another ACL it is refused (Ceph RGW's rule, see AclTests).
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, CannedACL = S3CannedACL.PublicRead });
        var exists = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketAsync(bucket));
        Assert.Equal("BucketAlreadyExists", exists.ErrorCode);
        var buckets = await s3.ListBucketsAsync();
        Assert.Contains(buckets.Buckets, b => b.BucketName == bucket);
        var location = await s3.GetBucketLocationAsync(bucket);
        Assert.Equal("local", location.Location.Value);
        Assert.True(await Amazon.S3.Util.AmazonS3Util.DoesS3BucketExistV2Async(s3, bucket));
        var acl = await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket });
        Assert.Contains(acl.Grants, g => g.Grantee.URI?.EndsWith("AllUsers", StringComparison.Ordinal) == true);
        await s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.Private });
        Assert.False(fx.Server.Stores.Catalog.Snapshot.Buckets[bucket].Public);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "no-such-bucket-x" }));
        Assert.Equal("NoSuchBucket", missing.ErrorCode);
    }

    [Fact]
    public async Task Cors_ConfigurationAndPreflight()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        await s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new CORSConfiguration
            {
                Rules = [new CORSRule { AllowedOrigins = ["https://app.example"], AllowedMethods = ["GET", "PUT"], AllowedHeaders = ["*"], ExposeHeaders = ["ETag"], MaxAgeSeconds = 600 }],
            },
        });
        var cors = await s3.GetCORSConfigurationAsync(bucket);
        Assert.Equal("https://app.example", Assert.Single(cors.Configuration.Rules).AllowedOrigins[0]);

        using var http = new HttpClient { BaseAddress = fx.Http };
        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"/{bucket}/file.txt");
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var ok = await http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("https://app.example", ok.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("600", ok.Headers.GetValues("Access-Control-Max-Age").Single());

        using var denied = new HttpRequestMessage(HttpMethod.Options, $"/{bucket}/file.txt");
        denied.Headers.Add("Origin", "https://evil.example");
        denied.Headers.Add("Access-Control-Request-Method", "GET");
        using var no = await http.SendAsync(denied);
        Assert.Equal(HttpStatusCode.Forbidden, no.StatusCode);

        await s3.DeleteCORSConfigurationAsync(bucket);
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetCORSConfigurationAsync(bucket));
        Assert.Equal("NoSuchCORSConfiguration", gone.ErrorCode);
    }

    [Fact]
    public async Task LargeObject_StreamsThroughSdk()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        var body = RandomNumberGenerator.GetBytes(40 * 1024 * 1024);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "big", InputStream = new MemoryStream(body) });
        using var get = await s3.GetObjectAsync(bucket, "big");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = await get.ResponseStream.ReadAsync(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, n);
        }
        Assert.Equal(SHA256.HashData(body), sha.GetHashAndReset());
    }
}
