using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace Hangar.ObjectStore.Tests;

/// <summary>SSE-S3 against the real server: sealed at rest, byte-identical through GET, ranges, multipart and copy.</summary>
public sealed class SseTests(S3Fixture fx) : IClassFixture<S3Fixture>
{
    private static string NewBucket() => "sse-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Recognisable plaintext: a line pattern that would show up in any blob file holding it.</summary>
    private static byte[] Body(int size)
    {
        var text = new StringBuilder(size + 64);
        for (var i = 0; text.Length < size; i++)
        {
            text.Append("plaintext line ").Append(i).Append('\n');
        }
        return Encoding.ASCII.GetBytes(text.ToString(0, size));
    }

    private string[] BlobFiles(string bucket) =>
        Directory.GetFiles(Path.Combine(fx.DataDir, "buckets", fx.Server.Stores.Catalog.Snapshot.Buckets[bucket].Id, "blobs"));

    private void AssertNoPlaintextOnDisk(string bucket)
    {
        var files = BlobFiles(bucket);
        Assert.NotEmpty(files);
        var needle = "plaintext line 1"u8.ToArray();
        foreach (var file in files)
        {
            Assert.Equal(-1, File.ReadAllBytes(file).AsSpan().IndexOf(needle));
        }
    }

    private static async Task<byte[]> GetAsync(IAmazonS3 s3, string bucket, string key, ByteRange? range = null)
    {
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = range });
        Assert.Equal(ServerSideEncryptionMethod.AES256, response.ServerSideEncryptionMethod);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    [Fact]
    public async Task Sse_s3_put_is_sealed_on_disk_and_identical_through_get_and_ranges()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        var plain = Body(200_000);
        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "doc.txt", InputStream = new MemoryStream(plain), ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
        });
        Assert.Equal(ServerSideEncryptionMethod.AES256, put.ServerSideEncryptionMethod);
        Assert.Equal("\"" + Convert.ToHexStringLower(MD5.HashData(plain)) + "\"", put.ETag);
        AssertNoPlaintextOnDisk(bucket);
        Assert.Equal(plain, await GetAsync(s3, bucket, "doc.txt"));
        Assert.Equal(plain[65530..65546], await GetAsync(s3, bucket, "doc.txt", new ByteRange(65530, 65545)));
        Assert.Equal(plain[1000..150001], await GetAsync(s3, bucket, "doc.txt", new ByteRange(1000, 150000)));
        Assert.Equal(plain[^10..], await GetAsync(s3, bucket, "doc.txt", new ByteRange("bytes=-10")));
        var head = await s3.GetObjectMetadataAsync(bucket, "doc.txt");
        Assert.Equal((ServerSideEncryptionMethod.AES256, 200_000L), (head.ServerSideEncryptionMethod, head.ContentLength));
        var mode = File.GetUnixFileMode(Path.Combine(fx.DataDir, "keys", "platform.key"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);

        // Copies re-seal or unseal as the target asks; both read back the same bytes.
        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "doc.txt", DestinationBucket = bucket, DestinationKey = "copy.txt",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 });
        Assert.Equal(plain, await GetAsync(s3, bucket, "copy.txt"));
        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "doc.txt", DestinationBucket = bucket, DestinationKey = "plain.txt" });
        using (var unsealed = await s3.GetObjectAsync(bucket, "plain.txt"))
        {
            Assert.NotEqual(ServerSideEncryptionMethod.AES256, unsealed.ServerSideEncryptionMethod);
            using var buffer = new MemoryStream();
            await unsealed.ResponseStream.CopyToAsync(buffer);
            Assert.Equal(plain, buffer.ToArray());
        }
        foreach (var key in new[] { "doc.txt", "copy.txt", "plain.txt" })
        {
            await s3.DeleteObjectAsync(bucket, key);
        }
        await s3.DeleteBucketAsync(bucket);
    }

    [Fact]
    public async Task Multipart_sse_parts_are_sealed_and_the_object_reads_back_across_part_boundaries()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        var plain = Body((5 * 1024 * 1024) + 300_000);
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket, Key = "big", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
        });
        Assert.Equal(ServerSideEncryptionMethod.AES256, upload.ServerSideEncryptionMethod);
        var etags = new List<PartETag>();
        var split = 5 * 1024 * 1024;
        foreach (var (number, from, to) in new[] { (1, 0, split), (2, split, plain.Length) })
        {
            var part = await s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = bucket, Key = "big", UploadId = upload.UploadId, PartNumber = number,
                InputStream = new MemoryStream(plain[from..to]),
            });
            etags.Add(new PartETag(number, part.ETag));
        }
        var done = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = "big", UploadId = upload.UploadId, PartETags = etags,
        });
        Assert.Equal(ServerSideEncryptionMethod.AES256, done.ServerSideEncryptionMethod);
        AssertNoPlaintextOnDisk(bucket);
        Assert.Equal(plain, await GetAsync(s3, bucket, "big"));
        Assert.Equal(plain[(split - 100)..(split + 100)], await GetAsync(s3, bucket, "big", new ByteRange(split - 100, split + 99)));
        await s3.DeleteObjectAsync(bucket, "big");
        await s3.DeleteBucketAsync(bucket);
    }

    [Fact]
    public async Task Bucket_default_encryption_seals_plain_puts_and_unsupported_kinds_are_refused()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules = [new ServerSideEncryptionRule { ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AES256 } }],
            },
        });
        var config = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket });
        Assert.Equal(ServerSideEncryptionMethod.AES256, config.ServerSideEncryptionConfiguration.ServerSideEncryptionRules[0].ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        var plain = Body(70_000);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "auto", InputStream = new MemoryStream(plain) });
        Assert.Equal(ServerSideEncryptionMethod.AES256, put.ServerSideEncryptionMethod);
        AssertNoPlaintextOnDisk(bucket);
        Assert.Equal(plain, await GetAsync(s3, bucket, "auto"));
        var kms = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "kms", ContentBody = "x", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
        }));
        Assert.Equal("NotImplemented", kms.ErrorCode);
        await s3.DeleteBucketEncryptionAsync(new DeleteBucketEncryptionRequest { BucketName = bucket });
        // The SDK hides GetBucketEncryption's ServerSideEncryptionConfigurationNotFoundError (boto3's test sees it).
        Assert.Null(fx.Server.Stores.Catalog.Snapshot.Buckets[bucket].DefaultEncryption);
        // Objects sealed under the default stay readable after it is removed.
        Assert.Equal(plain, await GetAsync(s3, bucket, "auto"));
        await s3.DeleteObjectAsync(bucket, "auto");
        await s3.DeleteBucketAsync(bucket);
    }

    [Fact]
    public async Task Sse_c_objects_need_their_key_for_every_read_part_and_copy()
    {
        using var s3 = fx.Client(https: true);
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        var key = RandomNumberGenerator.GetBytes(32);
        var (key64, md5) = (Convert.ToBase64String(key), Convert.ToBase64String(MD5.HashData(key)));
        var plain = Body(150_000);
        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "c", InputStream = new MemoryStream(plain),
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = key64, ServerSideEncryptionCustomerProvidedKeyMD5 = md5,
        });
        Assert.Equal(ServerSideEncryptionCustomerMethod.AES256, put.ServerSideEncryptionCustomerMethod);
        AssertNoPlaintextOnDisk(bucket);
        GetObjectRequest Get(byte[]? with, ByteRange? range = null) => new()
        {
            BucketName = bucket, Key = "c", ByteRange = range,
            ServerSideEncryptionCustomerMethod = with is null ? null : ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = with is null ? null : Convert.ToBase64String(with),
            ServerSideEncryptionCustomerProvidedKeyMD5 = with is null ? null : Convert.ToBase64String(MD5.HashData(with)),
        };
        async Task<byte[]> ReadAsync(GetObjectRequest request)
        {
            using var response = await s3.GetObjectAsync(request);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer);
            return buffer.ToArray();
        }
        Assert.Equal(plain, await ReadAsync(Get(key)));
        Assert.Equal(plain[65000..70001], await ReadAsync(Get(key, new ByteRange(65000, 70000))));
        Assert.Equal("InvalidRequest", (await Assert.ThrowsAsync<AmazonS3Exception>(() => ReadAsync(Get(null)))).ErrorCode);
        Assert.Equal("AccessDenied", (await Assert.ThrowsAsync<AmazonS3Exception>(() => ReadAsync(Get(RandomNumberGenerator.GetBytes(32))))).ErrorCode);
        var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest
        {
            BucketName = bucket, Key = "c", ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = key64, ServerSideEncryptionCustomerProvidedKeyMD5 = md5,
        });
        Assert.Equal(md5, head.ServerSideEncryptionCustomerProvidedKeyMD5);

        // Copied out to SSE-S3 with the source's key; readable without one afterwards.
        await s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket, SourceKey = "c", DestinationBucket = bucket, DestinationKey = "s3",
            CopySourceServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            CopySourceServerSideEncryptionCustomerProvidedKey = key64, CopySourceServerSideEncryptionCustomerProvidedKeyMD5 = md5,
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
        });
        Assert.Equal(plain, await GetAsync(s3, bucket, "s3"));

        // Multipart: each part carries the key; completion does not.
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket, Key = "mp", ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = key64, ServerSideEncryptionCustomerProvidedKeyMD5 = md5,
        });
        var noKey = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket, Key = "mp", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(plain),
        }));
        Assert.Equal("InvalidRequest", noKey.ErrorCode);
        var part = await s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket, Key = "mp", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(plain),
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = key64, ServerSideEncryptionCustomerProvidedKeyMD5 = md5,
        });
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = "mp", UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)],
        });
        var mp = Get(key);
        mp.Key = "mp";
        Assert.Equal(plain, await ReadAsync(mp));
        AssertNoPlaintextOnDisk(bucket);
        foreach (var name in new[] { "c", "s3", "mp" })
        {
            await s3.DeleteObjectAsync(bucket, name);
        }
        await s3.DeleteBucketAsync(bucket);
    }

    [Fact]
    public async Task Boto3_sse_round_trip_range_and_bucket_encryption()
    {
        var (code, output) = await ExternalClientTests.RunAsync("/usr/bin/python3", Path.Combine(AppContext.BaseDirectory, "Scripts", "boto3_sse.py"),
            ExternalClientTests.Env(fx, "unused"), TimeSpan.FromSeconds(120));
        Assert.True(code == 0, output);
        Assert.EndsWith("OK", output.Trim());
    }
}
