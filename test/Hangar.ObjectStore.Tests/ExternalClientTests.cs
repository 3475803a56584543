using System.Diagnostics;
using Amazon.S3.Model;

namespace Hangar.ObjectStore.Tests;

/// <summary>boto3, the AWS CLI and curl, as installed from Debian, against the real server.</summary>
public sealed class ExternalClientTests(S3Fixture fx) : IClassFixture<S3Fixture>
{
    internal static async Task<(int Code, string Output)> RunAsync(string file, string args, Dictionary<string, string> env, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private Dictionary<string, string> Env(string bucket) => Env(fx, bucket);

    internal static Dictionary<string, string> Env(S3Fixture fx, string bucket) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = S3Fixture.OwnerKey,
        ["AWS_SECRET_ACCESS_KEY"] = S3Fixture.OwnerSecret,
        ["AWS_DEFAULT_REGION"] = "local",
        ["AWS_ENDPOINT_URL_S3"] = fx.Http.ToString().TrimEnd('/'),
        ["BUCKET_NAME"] = bucket,
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
    };

    [Fact]
    public async Task Boto3_SeedSnippets_PresignedUrls_Multipart_VirtualHost()
    {
        var bucket = "boto-" + Guid.NewGuid().ToString("N")[..10];
        using var s3 = fx.Client();
        await s3.PutBucketAsync(bucket);
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "boto3_suite.py");
        var (code, output) = await RunAsync("/usr/bin/python3", script, Env(bucket), TimeSpan.FromSeconds(90));
        Assert.True(code == 0, output);
        Assert.EndsWith("OK", output.Trim());
    }

    [Fact]
    public async Task AwsCli_CopyListRemove_AndMultipart()
    {
        var bucket = "cli-" + Guid.NewGuid().ToString("N")[..10];
        var dir = Directory.CreateTempSubdirectory("hangar-cli-");
        try
        {
            var big = Path.Combine(dir.FullName, "big.bin");
            await File.WriteAllBytesAsync(big, System.Security.Cryptography.RandomNumberGenerator.GetBytes(20 * 1024 * 1024));
            var endpoint = "--endpoint-url " + fx.Http.ToString().TrimEnd('/');
            var env = Env(bucket);
            async Task<string> Aws(string args)
            {
                var (code, output) = await RunAsync("/usr/bin/aws", $"{endpoint} {args}", env, TimeSpan.FromSeconds(60));
                Assert.True(code == 0, $"aws {args}: {output}");
                return output;
            }
            await Aws($"s3 mb s3://{bucket}");
            await Aws($"s3 cp {big} s3://{bucket}/data/big.bin");
            var listing = await Aws($"s3 ls s3://{bucket}/data/");
            Assert.Contains("big.bin", listing, StringComparison.Ordinal);
            var back = Path.Combine(dir.FullName, "back.bin");
            await Aws($"s3 cp s3://{bucket}/data/big.bin {back}");
            Assert.Equal(await File.ReadAllBytesAsync(big), await File.ReadAllBytesAsync(back));
            var head = await Aws($"s3api head-object --bucket {bucket} --key data/big.bin");
            Assert.Contains("-3\\\"", head, StringComparison.Ordinal); // multipart ETag: 8 MiB chunks -> 3 parts
            await Aws($"s3 rm s3://{bucket}/data/big.bin");
            await Aws($"s3 rb s3://{bucket}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Curl_PresignedUrl_WorksAndExpires()
    {
        var bucket = "curl-" + Guid.NewGuid().ToString("N")[..10];
        using var s3 = fx.Client();
        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "p r/é.txt", ContentBody = "presigned body" });
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket, Key = "p r/é.txt", Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Amazon.S3.Protocol.HTTP,
        });
        var (code, output) = await RunAsync("/usr/bin/curl", $"-sS -f \"{url}\"", [], TimeSpan.FromSeconds(20));
        Assert.True(code == 0, output);
        Assert.Equal("presigned body", output);

        var expired = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket, Key = "p r/é.txt", Expires = DateTime.UtcNow.AddSeconds(1), Protocol = Amazon.S3.Protocol.HTTP,
        });
        // Poll until the URL has expired rather than sleeping a fixed time.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string body;
        do
        {
            (_, body) = await RunAsync("/usr/bin/curl", $"-sS \"{expired}\"", [], TimeSpan.FromSeconds(20));
            if (body.Contains("expired", StringComparison.Ordinal))
            {
                break;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Contains("<Code>AccessDenied</Code>", body, StringComparison.Ordinal);
        Assert.Contains("Request has expired", body, StringComparison.Ordinal);
    }
}
