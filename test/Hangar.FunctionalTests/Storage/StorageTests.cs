using System.Net;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Storage;

[Collection(SharedDaemonCollection.Name)]
public sealed class StorageTests(SharedDaemon fixture)
{
    private readonly HangarDaemon _hangar = fixture.Daemon;

    [Fact]
    public async Task Create_with_an_app_sets_Fly_secrets_that_the_AWS_SDK_boto3_and_aws_cli_use()
    {
        (await _hangar.RunAsync("apps", "create", "media")).ShouldSucceed();
        var created = await _hangar.JsonAsync("storage", "create", "--name", "media-files", "-a", "media");
        Assert.Equal(JsonValueKind.Null, created.TryGetProperty("credentials", out var c) ? c.ValueKind : JsonValueKind.Null);

        var env = await AppEnvironment.ReadAsync(_hangar, "media");
        Assert.Equal("media-files", env["BUCKET_NAME"]);
        Assert.Equal(_hangar.S3Url, env["AWS_ENDPOINT_URL_S3"]);
        Assert.Equal("auto", env["AWS_REGION"]);
        var secret = env["AWS_SECRET_ACCESS_KEY"];

        // The AWS SDK for .NET, configured from the app's variables only.
        using (var s3 = env.S3Client())
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = env["BUCKET_NAME"], Key = "dotnet.txt", ContentBody = "from .NET" });
            using var got = await s3.GetObjectAsync(env["BUCKET_NAME"], "dotnet.txt");
            Assert.Equal("from .NET", await new StreamReader(got.ResponseStream).ReadToEndAsync());
        }

        // boto3 and the aws CLI in Debian 12 predate AWS_ENDPOINT_URL_S3, so they are told it explicitly, as Fly's docs do.
        var python = (await _hangar.RunAsync("run", "-a", "media", "--", "/usr/bin/python3", "-c", """
            import boto3, os
            s3 = boto3.client('s3', endpoint_url=os.environ['AWS_ENDPOINT_URL_S3'])
            b = os.environ['BUCKET_NAME']
            s3.put_object(Bucket=b, Key='boto.txt', Body=b'from boto3')
            print(s3.get_object(Bucket=b, Key='dotnet.txt')['Body'].read().decode())
            print(','.join(o['Key'] for o in s3.list_objects_v2(Bucket=b)['Contents']))
            """)).ShouldSucceed();
        Assert.Equal(["from .NET", "boto.txt,dotnet.txt"], python.Stdout.Trim().Split('\n'));

        var cli = (await _hangar.RunAsync("run", "-a", "media", "--", "sh", "-c",
            "printf 'from cli' | /usr/bin/aws --endpoint-url \"$AWS_ENDPOINT_URL_S3\" s3 cp - \"s3://$BUCKET_NAME/cli.txt\" && /usr/bin/aws --endpoint-url \"$AWS_ENDPOINT_URL_S3\" s3 cp \"s3://$BUCKET_NAME/boto.txt\" - && echo && /usr/bin/aws --endpoint-url \"$AWS_ENDPOINT_URL_S3\" s3 ls \"s3://$BUCKET_NAME/\"")).ShouldSucceed();
        Assert.StartsWith("from boto3", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains("cli.txt", cli.Stdout, StringComparison.Ordinal);

        var show = await _hangar.JsonAsync("storage", "show", "media-files");
        Assert.Equal(3, show.GetProperty("objects").GetInt64());
        Assert.False(show.GetProperty("public").GetBoolean());

        // The secret is never shown again.
        foreach (var args in new[] { new[] { "storage", "list" }, ["storage", "list", "--json"], ["storage", "show", "media-files"], ["storage", "keys", "list", "--json"], ["secrets", "list", "-a", "media"] })
        {
            Assert.DoesNotContain(secret, (await _hangar.RunAsync(args)).ShouldSucceed().Stdout, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(secret, await File.ReadAllTextAsync(Path.Combine(_hangar.DataDir, "logs", "hangar.log")), StringComparison.Ordinal);
        Assert.Equal(["storage:passing"], (await _hangar.JsonAsync("checks", "list", "-a", "media-files")).EnumerateArray().Select(x => x.GetProperty("name").GetString() + ":" + x.GetProperty("status").GetString()));
        (await _hangar.RunAsync("storage", "destroy", "media-files", "--yes", "--force")).ShouldSucceed();
        (await _hangar.RunAsync("apps", "destroy", "media", "--yes")).ShouldSucceed();
    }

    [Fact]
    public async Task Keys_are_scoped_to_their_buckets_read_only_when_asked_and_refused_once_revoked()
    {
        var (a, aKey) = await CreateAsync("scope-a");
        var (b, bKey) = await CreateAsync("scope-b");
        using (var s3 = aKey)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = a, Key = "x", ContentBody = "a" });
            var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = b, Key = "x", ContentBody = "a" }));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync(b, "x"));
        }

        bKey.Dispose();
        var readOnly = await _hangar.JsonAsync("storage", "keys", "create", "--bucket", a, "--read-only");
        var id = readOnly.GetProperty("key").GetProperty("id").GetString()!;
        var secret = readOnly.GetProperty("secretAccessKey").GetString()!;
        using (var s3 = AppEnvironment.Client(id, secret, _hangar.S3Url, "local"))
        {
            using var got = await s3.GetObjectAsync(a, "x");
            Assert.Equal("a", await new StreamReader(got.ResponseStream).ReadToEndAsync());
            Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = a, Key = "y", ContentBody = "no" }))).StatusCode);

            var keys = (await _hangar.RunAsync("storage", "keys", "list")).ShouldSucceed().Stdout;
            Assert.Contains(id, keys, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, keys, StringComparison.Ordinal);
            (await _hangar.RunAsync("storage", "keys", "revoke", id)).ShouldSucceed();
            Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync(a, "x"))).StatusCode);
            Assert.DoesNotContain(id, (await _hangar.RunAsync("storage", "keys", "list")).ShouldSucceed().Stdout, StringComparison.Ordinal);
            (await _hangar.RunAsync("storage", "keys", "revoke", id)).ShouldFailWith("not found");
        }

        // An owner key makes buckets of its own through the S3 API; they show in the list as its.
        var owner = await _hangar.JsonAsync("storage", "keys", "create");
        var ownerId = owner.GetProperty("key").GetProperty("id").GetString()!;
        using (var s3 = AppEnvironment.Client(ownerId, owner.GetProperty("secretAccessKey").GetString()!, _hangar.S3Url, "local"))
        {
            await s3.PutBucketAsync("owned-by-key");
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "owned-by-key", Key = "k", ContentBody = "v" });
            Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync(a, "x"))).StatusCode);
            var listed = (await _hangar.JsonAsync("storage", "list")).EnumerateArray().Single(x => x.GetProperty("name").GetString() == "owned-by-key");
            Assert.Equal(ownerId, listed.GetProperty("ownerKeyId").GetString());
            Assert.False(listed.GetProperty("managed").GetBoolean());
            (await _hangar.RunAsync("storage", "create", "--name", "owned-by-key")).ShouldFailWith("already exists");
            await s3.DeleteObjectAsync("owned-by-key", "k");
            await s3.DeleteBucketAsync("owned-by-key");
        }

        (await _hangar.RunAsync("storage", "keys", "revoke", ownerId)).ShouldSucceed();
        (await _hangar.RunAsync("storage", "destroy", a, "--yes", "--force")).ShouldSucceed();
        (await _hangar.RunAsync("storage", "destroy", b, "--yes")).ShouldSucceed();
    }

    [Fact]
    public async Task Public_buckets_serve_anonymous_reads_and_a_static_site_private_ones_refuse()
    {
        var (site, siteKey) = await CreateAsync("site-public", "--public");
        var (closed, closedKey) = await CreateAsync("site-private");
        using (siteKey)
        using (closedKey)
        {
            await siteKey.PutObjectAsync(new PutObjectRequest { BucketName = site, Key = "index.html", ContentBody = "<h1>home</h1>", ContentType = "text/html" });
            await siteKey.PutObjectAsync(new PutObjectRequest { BucketName = site, Key = "docs/index.html", ContentBody = "<h1>docs</h1>", ContentType = "text/html" });
            await closedKey.PutObjectAsync(new PutObjectRequest { BucketName = closed, Key = "secret.txt", ContentBody = "hidden" });
        }

        using var anonymous = new HttpClient { BaseAddress = new Uri(_hangar.S3Url) };
        Assert.Equal("<h1>home</h1>", await anonymous.GetStringAsync($"/{site}/index.html"));
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync($"/{closed}/secret.txt")).StatusCode);

        var updated = await _hangar.JsonAsync("storage", "update", site, "--index-document", "index.html");
        Assert.Equal("index.html", updated.GetProperty("indexDocument").GetString());
        Assert.Equal("<h1>home</h1>", await anonymous.GetStringAsync($"/{site}/"));
        Assert.Equal("<h1>docs</h1>", await anonymous.GetStringAsync($"/{site}/docs/"));

        // Virtual-hosted style: BUCKET.s3.localhost names the bucket in the Host header.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/index.html"))
        {
            request.Headers.Host = $"{site}.s3.localhost";
            using var response = await anonymous.SendAsync(request);
            Assert.Equal("<h1>home</h1>", await response.Content.ReadAsStringAsync());
        }

        (await _hangar.RunAsync("storage", "update", site, "--private")).ShouldSucceed();
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync($"/{site}/index.html")).StatusCode);
        Assert.Contains("private", (await _hangar.RunAsync("storage", "show", site)).ShouldSucceed().Stdout, StringComparison.Ordinal);
        (await _hangar.RunAsync("storage", "destroy", site, "--yes", "--force")).ShouldSucceed();
        (await _hangar.RunAsync("storage", "destroy", closed, "--yes", "--force")).ShouldSucceed();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/{closed}/secret.txt")).StatusCode);
    }

    [Fact]
    public async Task Destroy_refuses_a_non_empty_bucket_without_force_and_removes_keys_and_secrets()
    {
        (await _hangar.RunAsync("apps", "create", "uploads")).ShouldSucceed();
        (await _hangar.RunAsync("storage", "create", "--name", "uploads-bucket", "-a", "uploads")).ShouldSucceed();
        var env = await AppEnvironment.ReadAsync(_hangar, "uploads");
        using var s3 = env.S3Client();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "uploads-bucket", Key = "keep.txt", ContentBody = "data" });

        (await _hangar.RunAsync("storage", "destroy", "uploads-bucket", "--yes")).ShouldFailWith("not empty");
        (await _hangar.RunAsync("storage", "destroy", "uploads-bucket")).ShouldFailWith("--yes");
        using (var still = await s3.GetObjectAsync("uploads-bucket", "keep.txt"))
        {
            Assert.Equal("data", await new StreamReader(still.ResponseStream).ReadToEndAsync());
        }

        (await _hangar.RunAsync("storage", "destroy", "uploads-bucket", "--yes", "--force")).ShouldSucceed();
        Assert.Empty((await _hangar.JsonAsync("secrets", "list", "-a", "uploads")).EnumerateArray());
        Assert.DoesNotContain(env["AWS_ACCESS_KEY_ID"], (await _hangar.RunAsync("storage", "keys", "list")).ShouldSucceed().Stdout, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "uploads-bucket" }))).StatusCode);
        (await _hangar.RunAsync("storage", "show", "uploads-bucket")).ShouldFailWith("not found");

        // The app is free again: its secrets are gone, so a new bucket can set them.
        (await _hangar.RunAsync("storage", "create", "--name", "uploads-bucket", "-a", "uploads")).ShouldSucceed();
        Assert.Equal(0, (await _hangar.JsonAsync("storage", "show", "uploads-bucket")).GetProperty("objects").GetInt64());
        (await _hangar.RunAsync("storage", "destroy", "uploads-bucket", "--yes")).ShouldSucceed();
        (await _hangar.RunAsync("apps", "destroy", "uploads", "--yes")).ShouldSucceed();
    }

    [Fact]
    public async Task Bad_input_fails_in_one_line_and_leaves_nothing()
    {
        (await _hangar.RunAsync("apps", "create", "clash")).ShouldSucceed();
        (await _hangar.RunAsync("secrets", "set", "AWS_REGION=eu", "-a", "clash")).ShouldSucceed();
        (await _hangar.RunAsync("storage", "create", "--name", "taken-name")).ShouldSucceed();
        var buckets = Names(await _hangar.JsonAsync("storage", "list"));
        var keys = (await _hangar.JsonAsync("storage", "keys", "list")).GetArrayLength();

        (await _hangar.RunAsync("storage", "create", "--name", "Bad_Name")).ShouldFailWith("invalid bucket name 'Bad_Name'");
        (await _hangar.RunAsync("storage", "create", "--name", "ab")).ShouldFailWith("3-63 characters");
        (await _hangar.RunAsync("storage", "create", "--name", "ok-name", "-a", "no-such-app")).ShouldFailWith("app 'no-such-app' not found");
        (await _hangar.RunAsync("storage", "create", "--name", "taken-name")).ShouldFailWith("bucket 'taken-name' already exists");
        (await _hangar.RunAsync("storage", "create", "--name", "ok-name", "-a", "clash")).ShouldFailWith("already has a secret named AWS_REGION");
        var shadow = (await _hangar.RunAsync("storage", "create", "--name", "ok-name", "--shadow-bucket", "old-bucket", "--shadow-endpoint", "not a url")).Fails();
        Assert.Contains("invalid --shadow-bucket 'old-bucket'", shadow, StringComparison.Ordinal);
        Assert.Contains("invalid --shadow-endpoint 'not a url'", shadow, StringComparison.Ordinal);
        Assert.Contains("--shadow-access-key", shadow, StringComparison.Ordinal);
        (await _hangar.RunAsync("storage", "create", "--name", "ok-name", "--shadow-endpoint", "https://s3.example.com")).ShouldFailWith("need --shadow-bucket");
        (await _hangar.RunAsync("storage", "keys", "create", "--bucket", "no-such-bucket")).ShouldFailWith("bucket 'no-such-bucket' not found");
        (await _hangar.RunAsync("storage", "keys", "revoke", "nonsense")).ShouldFailWith("invalid access key id");
        (await _hangar.RunAsync("storage", "update", "taken-name")).ShouldFailWith("nothing to update");
        (await _hangar.RunAsync("storage", "update", "taken-name", "--public", "--private")).ShouldFailWith("cannot go together");
        (await _hangar.RunAsync("storage", "destroy", "no-such-bucket", "--yes")).ShouldFailWith("not found");

        Assert.Equal(buckets, Names(await _hangar.JsonAsync("storage", "list")));
        Assert.Equal(keys, (await _hangar.JsonAsync("storage", "keys", "list")).GetArrayLength());
        Assert.Equal(["AWS_REGION"], (await _hangar.JsonAsync("secrets", "list", "-a", "clash")).EnumerateArray().Select(s => s.GetProperty("name").GetString()));

        // A shadow bucket with good input is made and shows its upstream, without the secret.
        var made = await _hangar.JsonAsync("storage", "create", "--name", "shadowed", "--shadow-bucket", "s3://old-bucket", "--shadow-endpoint", "http://127.0.0.1:9", "--shadow-access-key", "AKOLD", "--shadow-secret-key", "shadow-secret-value");
        Assert.Equal("old-bucket", made.GetProperty("bucket").GetProperty("shadow").GetProperty("bucket").GetString());
        Assert.DoesNotContain("shadow-secret-value", (await _hangar.RunAsync("storage", "show", "shadowed", "--json")).ShouldSucceed().Stdout, StringComparison.Ordinal);
        (await _hangar.RunAsync("storage", "destroy", "shadowed", "--yes")).ShouldSucceed();
        (await _hangar.RunAsync("storage", "destroy", "taken-name", "--yes")).ShouldSucceed();
        (await _hangar.RunAsync("apps", "destroy", "clash", "--yes")).ShouldSucceed();
    }

    private async Task<(string Name, AmazonS3Client Client)> CreateAsync(string name, params string[] flags)
    {
        var created = await _hangar.JsonAsync(["storage", "create", "--name", name, .. flags]);
        var c = created.GetProperty("credentials");
        return (c.GetProperty("bucketName").GetString()!, AppEnvironment.Client(
            c.GetProperty("accessKeyId").GetString()!, c.GetProperty("secretAccessKey").GetString()!, c.GetProperty("endpointUrl").GetString()!, c.GetProperty("region").GetString()!));
    }

    private static List<string> Names(JsonElement list) => [.. list.EnumerateArray().Select(b => b.GetProperty("name").GetString()!).Order()];
}
