using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Hangar.FunctionalTests.Infrastructure;
using Hangar.FunctionalTests.Storage;
using Xunit;

namespace Hangar.FunctionalTests.Tls;

/// <summary>The S3 server's HTTPS listener, on by default, with a certificate from the platform CA that real clients verify.</summary>
[Collection(SharedDaemonCollection.Name)]
public sealed class StorageTlsTests(SharedDaemon fixture)
{
    private readonly HangarDaemon _hangar = fixture.Daemon;

    [Fact]
    public async Task The_aws_cli_and_the_dotnet_sdk_verify_the_https_endpoint_with_the_ca_the_app_is_given()
    {
        (await _hangar.RunAsync("apps", "create", "tls-media")).ShouldSucceed();
        (await _hangar.RunAsync("storage", "create", "--name", "tls-media", "-a", "tls-media")).ShouldSucceed();
        var env = await AppEnvironment.ReadAsync(_hangar, "tls-media");
        Assert.Equal(_hangar.CaCertificatePath, env["AWS_CA_BUNDLE"]);

        // Plain HTTP stays the endpoint apps get, so SDKs that ignore AWS_CA_BUNDLE keep working.
        Assert.Equal(_hangar.S3Url, env["AWS_ENDPOINT_URL_S3"]);

        // The aws CLI in the app's environment, verification on, the CA from AWS_CA_BUNDLE.
        var script = $"printf 'over tls' | /usr/bin/aws --endpoint-url {_hangar.S3HttpsUrl} s3 cp - \"s3://$BUCKET_NAME/tls.txt\" && /usr/bin/aws --endpoint-url {_hangar.S3HttpsUrl} s3 cp \"s3://$BUCKET_NAME/tls.txt\" -";
        Assert.Equal("over tls", (await _hangar.RunAsync("run", "-a", "tls-media", "--", "sh", "-c", script)).ShouldSucceed().Stdout.Trim());

        // The same with another root is refused.
        var wrong = ToolRun.WrongCaFile(_hangar.Root);
        var refused = await _hangar.RunAsync("run", "-a", "tls-media", "--", "sh", "-c", $"AWS_CA_BUNDLE={wrong} /usr/bin/aws --endpoint-url {_hangar.S3HttpsUrl} s3 ls \"s3://$BUCKET_NAME/\"");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("SSL validation failed", refused.Stderr + refused.Stdout, StringComparison.Ordinal);

        // The .NET SDK with the CA as its only root.
        using (var s3 = Client(env, _hangar.CaCertificatePath))
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = env["BUCKET_NAME"], Key = "dotnet.txt", ContentBody = "from .NET over tls" });
            using var got = await s3.GetObjectAsync(env["BUCKET_NAME"], "tls.txt");
            Assert.Equal("over tls", await new StreamReader(got.ResponseStream).ReadToEndAsync());
        }

        using (var s3 = Client(env, wrong))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => s3.GetObjectAsync(env["BUCKET_NAME"], "tls.txt"));
        }
    }

    [Fact]
    public async Task Virtual_hosted_style_names_and_localhost_are_in_the_certificate()
    {
        var port = new Uri(_hangar.S3HttpsUrl).Port;

        // curl verifies the chain and the name; --resolve sends BUCKET.s3.localhost to the loopback listener.
        foreach (var host in new[] { "any-bucket.s3.localhost", "s3.localhost", "localhost" })
        {
            var result = await ToolRun.RunAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", _hangar.CaCertificatePath, "--resolve", $"{host}:{port}:127.0.0.1", $"https://{host}:{port}/"]);
            Assert.True(result.ExitCode == 0, $"{host}: {result.Stderr}");
            // The S3 server answered (no such bucket, or anonymous access denied): the handshake went through.
            Assert.Contains(result.Stdout, new[] { "403", "404" });
        }

        // A name the certificate does not carry is refused by the same client.
        var other = await ToolRun.RunAsync("curl", ["-sS", "-o", "/dev/null", "--cacert", _hangar.CaCertificatePath, "--resolve", $"example.com:{port}:127.0.0.1", $"https://example.com:{port}/"]);
        Assert.NotEqual(0, other.ExitCode);
    }

    [Fact]
    public async Task Pgbackrest_puts_and_gets_over_https_with_verification_on_and_refuses_a_wrong_ca()
    {
        // pgBackRest speaks only HTTPS to S3 and always verifies: the client the platform CA was made for.
        var created = await _hangar.JsonAsync("storage", "create", "--name", "tls-backups");
        var credentials = created.GetProperty("credentials");
        var dir = Directory.CreateTempSubdirectory("hangar-pgbr-").FullName;
        try
        {
            var config = Path.Combine(dir, "pgbackrest.conf");
            string Config(string caFile) => string.Join('\n',
                "[global]",
                "repo1-type=s3",
                $"repo1-s3-endpoint={new Uri(_hangar.S3HttpsUrl).Host}",
                $"repo1-storage-port={new Uri(_hangar.S3HttpsUrl).Port}",
                "repo1-s3-bucket=tls-backups",
                "repo1-s3-region=auto",
                "repo1-s3-uri-style=path",
                $"repo1-s3-key={credentials.GetProperty("accessKeyId").GetString()}",
                $"repo1-s3-key-secret={credentials.GetProperty("secretAccessKey").GetString()}",
                $"repo1-storage-ca-file={caFile}",
                "repo1-path=/repo",
                $"log-path={dir}",
                $"lock-path={dir}") + "\n";
            await File.WriteAllTextAsync(config, Config(_hangar.CaCertificatePath));
            var payload = Path.Combine(dir, "payload.txt");
            await File.WriteAllTextAsync(payload, "backed up over tls");

            (await ToolRun.RunAsync("sh", ["-c", $"pgbackrest --config={config} --io-timeout=5 repo-put wal/payload.txt < {payload}"])).ShouldSucceed();
            Assert.Equal("backed up over tls", (await ToolRun.RunAsync("pgbackrest", [$"--config={config}", "--io-timeout=5", "repo-get", "wal/payload.txt"])).ShouldSucceed().Stdout);

            await File.WriteAllTextAsync(config, Config(ToolRun.WrongCaFile(dir)));
            var refused = await ToolRun.RunAsync("pgbackrest", [$"--config={config}", "--io-timeout=5", "repo-get", "wal/payload.txt"]);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("unable to verify certificate", refused.Stdout + refused.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private AmazonS3Client Client(AppEnvironment env, string caFile) =>
        new(new BasicAWSCredentials(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]), new AmazonS3Config
        {
            ServiceURL = _hangar.S3HttpsUrl,
            ForcePathStyle = true,
            AuthenticationRegion = env["AWS_REGION"],
            MaxErrorRetry = 0,
            HttpClientFactory = new CaTrustingHttpClientFactory(caFile),
        });
}
