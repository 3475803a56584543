using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Hangar.ObjectStore.Tests;

/// <summary>Lifecycle expiry and bucket policies against the real server, through the .NET SDK, boto3 and a plain HttpClient.</summary>
public sealed class BucketRulesTests(S3Fixture fx) : IClassFixture<S3Fixture>
{
    private static string NewBucket() => "rules-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task A_real_lifecycle_rule_expires_covered_objects_and_announces_it()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        await s3.PutLifecycleConfigurationAsync(PrefixRule(bucket, "tmp-after-a-day", "tmp/", new LifecycleRuleExpiration { Days = 1 }));
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "tmp/a", ContentBody = "goes" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "keep/b", ContentBody = "stays" });
        var head = await s3.GetObjectMetadataAsync(bucket, "tmp/a");
        Assert.Equal("tmp-after-a-day", head.Expiration?.RuleId);
        Assert.Null((await s3.GetObjectMetadataAsync(bucket, "keep/b")).Expiration?.RuleId);
        // One (two-second) day after creation, rounded up to the day boundary, plus a pass interval.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await TryGetAsync(s3, bucket, "tmp/a") is not AmazonS3Exception { StatusCode: HttpStatusCode.NotFound })
        {
            Assert.True(DateTime.UtcNow < deadline, "tmp/a never expired");
            await Task.Delay(200);
        }
        using var kept = await s3.GetObjectAsync(bucket, "keep/b");
        Assert.Equal(HttpStatusCode.OK, kept.HttpStatusCode);
        await s3.DeleteObjectAsync(bucket, "keep/b");
        await s3.DeleteLifecycleConfigurationAsync(bucket);
        // The SDK turns NoSuchLifecycleConfiguration into an empty answer (boto3's test sees the 404 itself).
        Assert.Empty((await s3.GetLifecycleConfigurationAsync(bucket)).Configuration?.Rules ?? []);
        await s3.DeleteBucketAsync(bucket);
    }

    private static PutLifecycleConfigurationRequest PrefixRule(string bucket, string id, string prefix, LifecycleRuleExpiration expiration) => new()
    {
        BucketName = bucket,
        Configuration = new LifecycleConfiguration
        {
            Rules =
            [
                new LifecycleRule
                {
                    Id = id,
                    Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = prefix } },
                    Status = LifecycleRuleStatus.Enabled,
                    Expiration = expiration,
                },
            ],
        },
    };

    private static async Task<Exception?> TryGetAsync(IAmazonS3 s3, string bucket, string key)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, key);
            return null;
        }
        catch (AmazonS3Exception ex)
        {
            return ex;
        }
    }

    [Fact]
    public async Task A_bucket_the_daemon_creates_starts_with_the_abort_incomplete_uploads_rule_and_keeps_it_across_updates()
    {
        var bucket = NewBucket();
        await fx.PutBucketAsync(bucket, new { @public = false, ownerKeyId = S3Fixture.OwnerKey });
        // The daemon re-sends a bucket's settings on every reconcile: that must not reset or drop the rules.
        await fx.PutBucketAsync(bucket, new { @public = true, ownerKeyId = S3Fixture.OwnerKey });
        using var s3 = fx.Client();
        var rule = Assert.Single((await s3.GetLifecycleConfigurationAsync(bucket)).Configuration.Rules);
        Assert.Equal(("hangar-abort-incomplete-uploads", 7), (rule.Id, rule.AbortIncompleteMultipartUpload.DaysAfterInitiation));
        await s3.DeleteBucketAsync(bucket);
    }

    [Fact]
    public async Task Lifecycle_rule_with_both_Days_and_Date_gets_MalformedXML()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutLifecycleConfigurationAsync(
            PrefixRule(bucket, "both", "", new LifecycleRuleExpiration { Days = 3, Date = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc) })));
        Assert.Equal((HttpStatusCode.BadRequest, "MalformedXML"), (error.StatusCode, error.ErrorCode));
        await s3.DeleteBucketAsync(bucket);
    }

    [Fact]
    public async Task Public_read_policy_lets_a_plain_HttpClient_read_anonymously()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "site/index.html", ContentBody = "<h1>hi</h1>" });
        using var anonymous = new HttpClient { BaseAddress = fx.Http };
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync($"/{bucket}/site/index.html")).StatusCode);
        await s3.PutBucketPolicyAsync(bucket, $$$$"""
            {"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":{"AWS":"*"},
             "Action":"s3:GetObject","Resource":"arn:aws:s3:::{{{{bucket}}}}/*"}]}
            """);
        using (var response = await anonymous.GetAsync($"/{bucket}/site/index.html"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("<h1>hi</h1>", await response.Content.ReadAsStringAsync());
        }
        // Reading is all it grants: no listing, no writing.
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync($"/{bucket}?list-type=2")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.PutAsync($"/{bucket}/site/x", new StringContent("x"))).StatusCode);
        await s3.DeleteBucketPolicyAsync(bucket);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync($"/{bucket}/site/index.html")).StatusCode);
        await s3.DeleteObjectAsync(bucket, "site/index.html");
        await s3.DeleteBucketAsync(bucket);
    }

    [Fact]
    public async Task Deny_without_SecureTransport_refuses_plain_HTTP_while_HTTPS_works()
    {
        using var plain = fx.Client();
        using var tls = fx.Client(https: true);
        var bucket = NewBucket();
        await plain.PutBucketAsync(bucket);
        await plain.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "secret", ContentBody = "s" });
        await plain.PutBucketPolicyAsync(bucket, $$$$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*",
             "Resource":["arn:aws:s3:::{{{{bucket}}}}","arn:aws:s3:::{{{{bucket}}}}/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}
            """);
        var denied = await Assert.ThrowsAsync<AmazonS3Exception>(() => plain.GetObjectAsync(bucket, "secret"));
        Assert.Equal("AccessDenied", denied.ErrorCode);
        await Assert.ThrowsAsync<AmazonS3Exception>(() => plain.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "x", ContentBody = "x" }));
        var deleted = await Assert.ThrowsAsync<DeleteObjectsException>(() =>
            plain.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = [new KeyVersion { Key = "secret" }] }));
        Assert.Equal("AccessDenied", Assert.Single(deleted.Response.DeleteErrors).Code);
        using (var response = await tls.GetObjectAsync(bucket, "secret"))
        {
            Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
        }
        await tls.DeleteObjectAsync(bucket, "secret");
        await tls.DeleteBucketPolicyAsync(bucket);
        await plain.DeleteBucketAsync(bucket);
    }

    [Fact]
    public async Task A_deny_in_the_source_bucket_policy_refuses_copying_from_it_even_to_its_owner()
    {
        using var s3 = fx.Client();
        var source = NewBucket();
        var target = NewBucket();
        await s3.PutBucketAsync(source);
        await s3.PutBucketAsync(target);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "private/x", ContentBody = "x" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "open/y", ContentBody = "y" });
        await s3.PutBucketPolicyAsync(source, $$$$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{{{source}}}}/private/*"}]}
            """);
        var denied = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(source, "private/x", target, "x"));
        Assert.Equal("AccessDenied", denied.ErrorCode);
        await s3.CopyObjectAsync(source, "open/y", target, "y");
        await s3.DeleteObjectAsync(target, "y");
        await s3.DeleteBucketPolicyAsync(source);
        await s3.DeleteObjectAsync(source, "private/x");
        await s3.DeleteObjectAsync(source, "open/y");
        await s3.DeleteBucketAsync(source);
        await s3.DeleteBucketAsync(target);
    }

    [Fact]
    public async Task Malformed_or_unsupported_policy_gets_MalformedPolicy_and_is_not_stored()
    {
        using var s3 = fx.Client();
        var bucket = NewBucket();
        await s3.PutBucketAsync(bucket);
        var malformed = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutBucketPolicyAsync(bucket, "{\"Statement\": [ }"));
        Assert.Equal((HttpStatusCode.BadRequest, "MalformedPolicy"), (malformed.StatusCode, malformed.ErrorCode));
        var unsupported = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutBucketPolicyAsync(bucket, $$$$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{{{bucket}}}}/*",
             "Condition":{"StringEquals":{"aws:UserAgent":"curl"}}}]}
            """));
        Assert.Equal("MalformedPolicy", unsupported.ErrorCode);
        Assert.Contains("aws:UserAgent", unsupported.Message, StringComparison.Ordinal);
        // Nothing was stored (boto3's test sees GetBucketPolicy's NoSuchBucketPolicy; the SDK hides it).
        Assert.Null(fx.Server.Stores.Catalog.Snapshot.Buckets[bucket].Policy);
        await s3.DeleteBucketAsync(bucket);
    }

    [Fact]
    public async Task Boto3_lifecycle_and_policy_round_trips_and_errors()
    {
        var (code, output) = await ExternalClientTests.RunAsync("/usr/bin/python3", Path.Combine(AppContext.BaseDirectory, "Scripts", "boto3_bucket_rules.py"),
            ExternalClientTests.Env(fx, "unused"), TimeSpan.FromSeconds(120));
        Assert.True(code == 0, output);
        Assert.EndsWith("OK", output.Trim());
    }
}
