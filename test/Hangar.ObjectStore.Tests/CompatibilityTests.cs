using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace Hangar.ObjectStore.Tests;

/// <summary>
/// The compatibility classes a public S3 test suite found broken: special keys through multi-object delete,
/// deleting a bucket left with an abandoned upload, SigV2, presigned expiry, listing edge cases,
/// Content-Encoding and body framing. Each through real clients: the .NET SDK, boto3, the AWS CLI, curl.
/// </summary>
public sealed class CompatibilityTests(S3Fixture fx) : IClassFixture<S3Fixture>
{
    // The keys the suite creates and then deletes in one DeleteObjects between tests.
    private static readonly string[] SpecialKeys =
    [
        " ", "\"", "$", "%", "&", "'", "<", ">", "_", "_ ", "_ _", "__", "  two leading", "trailing  ", "tab\there",
        "x&y<z>\"q'", "ü ñ/é", "100%25", "plus+sign", "q?x=1#frag", "&amp;", "]]>",
    ];

    private static async Task<bool> BucketExistsAsync(AmazonS3Client s3, string bucket) =>
        ((await s3.ListBucketsAsync()).Buckets ?? []).Any(b => b.BucketName == bucket);

    private static string NewBucket(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    private async Task RunScriptAsync(string script, string bucket)
    {
        var (code, output) = await ExternalClientTests.RunAsync("/usr/bin/python3", Path.Combine(AppContext.BaseDirectory, "Scripts", script),
            ExternalClientTests.Env(fx, bucket), TimeSpan.FromSeconds(120));
        Assert.True(code == 0, output);
        Assert.EndsWith("OK", output.Trim());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SpecialKeys_RoundTripThroughPutListGetAndMultiObjectDelete_DotNetSdk(bool quiet)
    {
        var bucket = NewBucket("keys");
        using var s3 = fx.Client();
        await s3.PutBucketAsync(bucket);
        var keys = SpecialKeys.ToList();
        foreach (var key in keys)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "body of " + key });
        }
        var expected = keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        foreach (var encoding in new[] { null, EncodingType.Url })
        {
            var v1 = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, Encoding = encoding });
            var v2 = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Encoding = encoding });
            Assert.Equal(expected, Decoded(v1.S3Objects.Select(o => o.Key), encoding));
            Assert.Equal(expected, Decoded(v2.S3Objects.Select(o => o.Key), encoding));
        }
        foreach (var key in keys)
        {
            using var get = await s3.GetObjectAsync(bucket, key);
            using var reader = new StreamReader(get.ResponseStream);
            Assert.Equal("body of " + key, await reader.ReadToEndAsync());
        }
        var deleted = await s3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = bucket, Quiet = quiet, Objects = keys.Select(k => new KeyVersion { Key = k }).ToList(),
        });
        Assert.Empty(deleted.DeleteErrors ?? []);
        Assert.Equal(quiet ? [] : expected, (deleted.DeletedObjects ?? []).Select(d => d.Key).Order(StringComparer.Ordinal).ToList());
        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []);
        await s3.DeleteBucketAsync(bucket);
    }

    /// <summary>With encoding-type=url the SDK may hand back the keys still encoded; the keys are what they decode to.</summary>
    private static List<string> Decoded(IEnumerable<string> keys, EncodingType? encoding) =>
        encoding is null ? keys.ToList() : keys.Select(k => SpecialKeys.Contains(k) && !k.Contains('%') ? k : Uri.UnescapeDataString(k)).ToList();

    [Fact]
    public async Task SpecialKeys_RoundTripThroughPutListGetAndMultiObjectDelete_Boto3()
    {
        var bucket = NewBucket("keys-boto");
        using var s3 = fx.Client();
        await s3.PutBucketAsync(bucket);
        await RunScriptAsync("boto3_special_keys.py", bucket);
    }

    [Fact]
    public async Task DeleteBucket_LeftWithOnlyAnAbandonedMultipartUpload_DeletesItsUploadsAndPartFiles()
    {
        var bucket = NewBucket("mpu");
        using var s3 = fx.Client();
        await s3.PutBucketAsync(bucket);
        var upload = await s3.InitiateMultipartUploadAsync(bucket, "big");
        await s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket, Key = "big", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[64 * 1024]),
        });
        var bucketsDir = Path.Combine(fx.DataDir, "buckets");
        var before = Directory.GetDirectories(bucketsDir).ToHashSet();
        var partFiles = Directory.GetFiles(bucketsDir, "*", SearchOption.AllDirectories).Count(f => Path.GetDirectoryName(f)!.EndsWith("blobs", StringComparison.Ordinal));
        Assert.True(partFiles >= 1);

        await s3.DeleteBucketAsync(bucket);

        Assert.False(await BucketExistsAsync(s3, bucket));
        Assert.Single(before.Except(Directory.GetDirectories(bucketsDir))); // its directory, part files included, is gone
        await s3.PutBucketAsync(bucket);
        Assert.Empty((await s3.ListMultipartUploadsAsync(bucket)).MultipartUploads ?? []);
        await s3.DeleteBucketAsync(bucket);
    }

    [Fact]
    public async Task AwsCli_RbForce_AfterAnAbandonedMultipartUpload_AndPresign()
    {
        var bucket = NewBucket("cli-rb");
        var env = ExternalClientTests.Env(fx, bucket);
        var endpoint = "--endpoint-url " + fx.Http.ToString().TrimEnd('/');
        async Task<string> Aws(string args)
        {
            var (code, output) = await ExternalClientTests.RunAsync("/usr/bin/aws", $"{endpoint} {args}", env, TimeSpan.FromSeconds(60));
            Assert.True(code == 0, $"aws {args}: {output}");
            return output;
        }
        await Aws($"s3 mb s3://{bucket}");
        var dir = Directory.CreateTempSubdirectory("hangar-cli-rb-");
        try
        {
            var file = Path.Combine(dir.FullName, "part");
            await File.WriteAllTextAsync(file, "abandoned part");
            await Aws($"s3 cp {file} s3://{bucket}/kept.txt");
            var created = await Aws($"s3api create-multipart-upload --bucket {bucket} --key abandoned --query UploadId --output text");
            await Aws($"s3api upload-part --bucket {bucket} --key abandoned --part-number 1 --upload-id {created.Trim()} --body {file}");

            // aws s3 presign signs SigV4 for whatever region it has; the server accepts it.
            var url = (await Aws($"s3 presign s3://{bucket}/kept.txt")).Trim();
            var (curlCode, body) = await ExternalClientTests.RunAsync("/usr/bin/curl", $"-sS -f \"{url}\"", [], TimeSpan.FromSeconds(20));
            Assert.True(curlCode == 0, body);
            Assert.Equal("abandoned part", body);

            await Aws($"s3 rb --force s3://{bucket}");
            using var s3 = fx.Client();
            Assert.False(await BucketExistsAsync(s3, bucket));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task SigV2_HeaderAndPresigned_ExpiryBounds_AndSigV4Regions_Boto3()
    {
        var bucket = NewBucket("auth");
        using var s3 = fx.Client();
        await s3.PutBucketAsync(bucket);
        await RunScriptAsync("boto3_auth.py", bucket);
    }

    [Fact]
    public async Task SigV2_HandSignedHeader_Curl_RightAcceptedWrongRefused()
    {
        var bucket = NewBucket("curl-v2");
        using var s3 = fx.Client();
        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a b.txt", ContentBody = "v2 by hand" });
        var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        var resource = $"/{bucket}/a%20b.txt";
        string Signature(string secret, string amz) => Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes($"GET\n\n\n{date}\n{amz}{resource}")));
        async Task<string> CurlAsync(string signature, string extraHeader = "")
        {
            var (code, output) = await ExternalClientTests.RunAsync("/usr/bin/curl",
                $"-sS -H \"Date: {date}\" {extraHeader} -H \"Authorization: AWS {S3Fixture.OwnerKey}:{signature}\" \"{fx.Http}{resource.TrimStart('/')}\"", [], TimeSpan.FromSeconds(20));
            Assert.True(code == 0, output);
            return output;
        }
        Assert.Equal("v2 by hand", await CurlAsync(Signature(S3Fixture.OwnerSecret, "")));
        Assert.Equal("v2 by hand", await CurlAsync(Signature(S3Fixture.OwnerSecret, "x-amz-meta-note:a b\n"), "-H \"X-Amz-Meta-Note:  a   b \""));
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", await CurlAsync(Signature("wrong-secret", "")), StringComparison.Ordinal);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", await CurlAsync(Signature(S3Fixture.OwnerSecret, ""), "-H \"x-amz-meta-unsigned: 1\""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_MaxKeysZero_EmptyContinuationToken_UnreadableParameters_ListBucketsPages_Boto3()
    {
        var bucket = NewBucket("list");
        using var s3 = fx.Client();
        await s3.PutBucketAsync(bucket);
        await RunScriptAsync("boto3_listing.py", bucket);
    }

    [Fact]
    public async Task BodyFraming_AndContentEncoding_RawRequests()
    {
        var bucket = NewBucket("framing");
        using var s3 = fx.Client();
        await s3.PutBucketAsync(bucket);
        await RunScriptAsync("raw_framing.py", bucket);
    }

    [Fact]
    public async Task ContentEncoding_AwsChunkedUpload_KeepsTheObjectsCodingsByteForByte()
    {
        var bucket = NewBucket("enc");
        using var s3 = fx.Client(); // plain HTTP: the SDK signs the body aws-chunked
        await s3.PutBucketAsync(bucket);
        var put = new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "compressed, notionally" };
        put.Headers.ContentEncoding = "deflate, gzip";
        await s3.PutObjectAsync(put);
        // The SDK keeps only the first coding of the response header, so read the header as sent.
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket, Key = "k", Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP,
        });
        var (code, output) = await ExternalClientTests.RunAsync("/usr/bin/curl", $"-sS -D - -o /dev/null \"{url}\"", [], TimeSpan.FromSeconds(20));
        Assert.True(code == 0, output);
        Assert.Contains("Content-Encoding: deflate, gzip\r\n", output, StringComparison.Ordinal);
    }
}
