using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;

namespace Hangar.ObjectStore.Tests;

/// <summary>Who may do what: scoped keys, read-only keys, owner keys, anonymous readers, the admin API.</summary>
public sealed class AccessTests(S3Fixture fx) : IClassFixture<S3Fixture>
{
    [Fact]
    public async Task ScopedKey_ReachesOnlyItsBuckets_ReadOnlyKeyCannotWrite()
    {
        await fx.PutBucketAsync("scope-a", new { @public = false });
        await fx.PutBucketAsync("scope-b", new { @public = false });
        await fx.PutKeyAsync("KEYA", "secret-a-0123456789", ["scope-a"]);
        await fx.PutKeyAsync("KEYRO", "secret-ro-0123456789", ["scope-a"], readOnly: true);
        using var a = fx.Client("KEYA", "secret-a-0123456789");
        await a.PutObjectAsync(new PutObjectRequest { BucketName = "scope-a", Key = "x", ContentBody = "a" });
        var denied = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => a.PutObjectAsync(new PutObjectRequest { BucketName = "scope-b", Key = "x", ContentBody = "a" }));
        Assert.Equal("AccessDenied", denied.ErrorCode);
        var deniedRead = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => a.GetObjectAsync("scope-b", "x"));
        Assert.Equal(HttpStatusCode.Forbidden, deniedRead.StatusCode);
        var buckets = await a.ListBucketsAsync();
        Assert.Equal(["scope-a"], buckets.Buckets.Select(b => b.BucketName));
        var create = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => a.PutBucketAsync("scope-c"));
        Assert.Equal("AccessDenied", create.ErrorCode);

        using var ro = fx.Client("KEYRO", "secret-ro-0123456789");
        using (var get = await ro.GetObjectAsync("scope-a", "x"))
        {
            Assert.Equal("a", await new StreamReader(get.ResponseStream).ReadToEndAsync());
        }
        var roPut = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => ro.PutObjectAsync(new PutObjectRequest { BucketName = "scope-a", Key = "y", ContentBody = "b" }));
        Assert.Equal("AccessDenied", roPut.ErrorCode);
        var roDelete = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => ro.DeleteObjectAsync("scope-a", "x"));
        Assert.Equal("AccessDenied", roDelete.ErrorCode);

        using var unknown = fx.Client("NOSUCHKEY", "whatever-secret");
        var invalidKey = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => unknown.ListBucketsAsync());
        Assert.Equal("InvalidAccessKeyId", invalidKey.ErrorCode);
        using var wrong = fx.Client("KEYA", "not-the-secret");
        var bad = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => wrong.GetObjectAsync("scope-a", "x"));
        Assert.Equal(HttpStatusCode.Forbidden, bad.StatusCode);
    }

    [Fact]
    public async Task OwnerKeys_SeeOnlyTheirOwnBuckets()
    {
        await fx.PutKeyAsync("OWNER2", "owner2-secret-0123456789", []);
        using var first = fx.Client();
        using var second = fx.Client("OWNER2", "owner2-secret-0123456789");
        await first.PutBucketAsync("owned-by-first");
        await second.PutBucketAsync("owned-by-second");
        Assert.DoesNotContain((await second.ListBucketsAsync()).Buckets, b => b.BucketName == "owned-by-first");
        var taken = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => second.PutBucketAsync("owned-by-first"));
        Assert.Equal("BucketAlreadyExists", taken.ErrorCode);
        var denied = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => second.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "owned-by-first" }));
        Assert.Equal("AccessDenied", denied.ErrorCode);
    }

    [Fact]
    public async Task PublicBucket_AnonymousReadsAndLists_ButCannotWrite()
    {
        await fx.PutBucketAsync("pub-bucket", new { @public = true, ownerKeyId = S3Fixture.OwnerKey });
        await fx.PutBucketAsync("priv-bucket", new { @public = false, ownerKeyId = S3Fixture.OwnerKey });
        using var s3 = fx.Client();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "pub-bucket", Key = "hello.txt", ContentBody = "public hello", ContentType = "text/plain" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "priv-bucket", Key = "hello.txt", ContentBody = "secret" });
        using var http = new HttpClient { BaseAddress = fx.Http };
        Assert.Equal("public hello", await http.GetStringAsync("/pub-bucket/hello.txt"));
        using (var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/pub-bucket/hello.txt")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(12, head.Content.Headers.ContentLength);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/priv-bucket/hello.txt")).StatusCode);
        // The public switch is the canned ACL public-read: anyone may list, as in S3.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/pub-bucket?list-type=2")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/priv-bucket?list-type=2")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PutAsync("/pub-bucket/new.txt", new StringContent("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.DeleteAsync("/pub-bucket/hello.txt")).StatusCode);
        // Virtual-hosted style, anonymous.
        using var vhost = new HttpRequestMessage(HttpMethod.Get, "/hello.txt");
        vhost.Headers.Host = "pub-bucket.s3.localhost:" + fx.Http.Port;
        using var vresponse = await http.SendAsync(vhost);
        Assert.Equal("public hello", await vresponse.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StaticWebsite_ServesIndexAndErrorDocuments()
    {
        await fx.PutBucketAsync("site", new { @public = true, ownerKeyId = S3Fixture.OwnerKey, indexDocument = "index.html", errorDocument = "404.html" });
        using var s3 = fx.Client();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "site", Key = "index.html", ContentBody = "<h1>home</h1>", ContentType = "text/html" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "site", Key = "docs/index.html", ContentBody = "<h1>docs</h1>", ContentType = "text/html" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "site", Key = "404.html", ContentBody = "<h1>missing</h1>", ContentType = "text/html" });
        using var http = new HttpClient { BaseAddress = fx.Http };
        Assert.Equal("<h1>home</h1>", await http.GetStringAsync("/site/"));
        Assert.Equal("<h1>docs</h1>", await http.GetStringAsync("/site/docs/"));
        using var miss = await http.GetAsync("/site/nope.html");
        Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
        Assert.Equal("<h1>missing</h1>", await miss.Content.ReadAsStringAsync());
        Assert.Equal("text/html", miss.Content.Headers.ContentType?.MediaType);
        // Signed requests still get S3 semantics, not the website's.
        var signed = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync("site", "nope.html"));
        Assert.Equal("NoSuchKey", signed.ErrorCode);
    }

    [Fact]
    public async Task AdminApi_ManagesBucketsAndKeys_WithStableErrors()
    {
        using var anonymous = new HttpClient { BaseAddress = fx.Http };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/_hangar/admin/buckets")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/_hangar/admin/buckets");
        wrong.Headers.Authorization = new("Bearer", "wrong-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrong)).StatusCode);

        var admin = fx.Admin;
        var created = await admin.PutAsJsonAsync("/_hangar/admin/buckets/admin-b", new
        {
            @public = false,
            shadow = new { bucket = "up", endpoint = "http://127.0.0.1:9", accessKey = "AK", secretKey = "SHADOW-SECRET", writeThrough = false },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var again = await admin.PutAsJsonAsync("/_hangar/admin/buckets/admin-b", new { @public = true });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var info = await admin.GetFromJsonAsync<JsonElement>("/_hangar/admin/buckets/admin-b");
        Assert.True(info.GetProperty("public").GetBoolean());
        Assert.Equal(0, info.GetProperty("objects").GetInt64());

        await admin.PutAsJsonAsync("/_hangar/admin/buckets/admin-s", new { shadow = new { bucket = "up", endpoint = "http://127.0.0.1:9", accessKey = "AK", secretKey = "SHADOW-SECRET", writeThrough = true } });
        var all = await admin.GetStringAsync("/_hangar/admin/buckets");
        Assert.Contains("admin-s", all, StringComparison.Ordinal);
        Assert.DoesNotContain("SHADOW-SECRET", all, StringComparison.Ordinal);

        var badName = await admin.PutAsJsonAsync("/_hangar/admin/buckets/Bad_Name", new { });
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Equal("invalid_argument", (await badName.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/_hangar/admin/buckets/nope-nope")).StatusCode);

        await fx.PutKeyAsync("ADMINK", "admin-k-secret-0123", ["admin-b"]);
        var keys = await admin.GetStringAsync("/_hangar/admin/keys");
        Assert.Contains("ADMINK", keys, StringComparison.Ordinal);
        Assert.DoesNotContain("admin-k-secret", keys, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/_hangar/admin/keys/NOSECRET", new { buckets = Array.Empty<string>() })).StatusCode);

        using var s3 = fx.Client("ADMINK", "admin-k-secret-0123");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "admin-b", Key = "o", ContentBody = "12345" });
        info = await admin.GetFromJsonAsync<JsonElement>("/_hangar/admin/buckets/admin-b");
        Assert.Equal(1, info.GetProperty("objects").GetInt64());
        Assert.Equal(5, info.GetProperty("bytes").GetInt64());

        var notEmpty = await admin.DeleteAsync("/_hangar/admin/buckets/admin-b?force=false");
        Assert.Equal(HttpStatusCode.Conflict, notEmpty.StatusCode);
        Assert.Equal("failed_precondition", (await notEmpty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/_hangar/admin/buckets/admin-b?force=true")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/_hangar/admin/buckets/admin-b")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/_hangar/admin/keys/ADMINK")).StatusCode);
        var revoked = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListBucketsAsync());
        Assert.Equal("InvalidAccessKeyId", revoked.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/_hangar/admin/keys/ADMINK")).StatusCode);

        var metrics = await admin.GetStringAsync("/_hangar/metrics");
        Assert.Contains("hangar_s3_requests_total{operation=\"PutObject\",status=\"200\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("hangar_s3_received_bytes_total", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedXml_AndClockSkew_AreRefused()
    {
        await fx.PutBucketAsync("errs", new { ownerKeyId = S3Fixture.OwnerKey });
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", Path.Combine(AppContext.BaseDirectory, "Scripts", "boto3_errors.py"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["AWS_ACCESS_KEY_ID"] = S3Fixture.OwnerKey;
        psi.Environment["AWS_SECRET_ACCESS_KEY"] = S3Fixture.OwnerSecret;
        psi.Environment["AWS_ENDPOINT_URL_S3"] = fx.Http.ToString().TrimEnd('/');
        psi.Environment["AWS_ENDPOINT_URL_S3_HTTPS"] = fx.Https.ToString().TrimEnd('/');
        psi.Environment["BUCKET_NAME"] = "errs";
        psi.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        using var process = System.Diagnostics.Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output);
    }

    [Fact]
    public async Task OversizedHeaders_AreRejectedCleanly()
    {
        using var http = new HttpClient { BaseAddress = fx.Http };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/pub-bucket/hello.txt");
        request.Headers.Add("x-amz-meta-big", new string('a', 64 * 1024));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        // The server is still serving afterwards.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/_hangar/admin/buckets")).StatusCode);
    }
}
