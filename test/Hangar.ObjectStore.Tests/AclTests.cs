using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Hangar.ObjectStore.Hosting;

namespace Hangar.ObjectStore.Tests;

/// <summary>ACLs decide who may do what: canned ACLs, grants, Hangar's public switch, key scopes, bucket re-creation.</summary>
public sealed class AclTests(S3Fixture fx) : IClassFixture<S3Fixture>
{
    private const string AltKey = "ALTKEY";
    private const string AltSecret = "alt-secret-0123456789";

    private static string NewBucket() => "acl-" + Guid.NewGuid().ToString("N")[..12];

    // What each actor may do once a bucket and its object "o" carry the canned ACL:
    // G = GET the object, P = PUT a new object, L = LIST the bucket, A = GetBucketAcl.
    public static TheoryData<string, string, string, string> CannedMatrix => new()
    {
        { "private", "GPLA", "", "" },
        { "public-read", "GPLA", "GL", "GL" },
        { "public-read-write", "GPLA", "GPL", "GPL" },
        { "authenticated-read", "GPLA", "GL", "" },
        { "bucket-owner-read", "GPLA", "", "" },
        { "bucket-owner-full-control", "GPLA", "", "" },
    };

    [Theory]
    [MemberData(nameof(CannedMatrix))]
    public async Task CannedAcl_DecidesWhatOwnerOtherKeyAndAnonymousMayDo(string acl, string owner, string other, string anonymous)
    {
        await fx.PutKeyAsync(AltKey, AltSecret, []);
        using var main = fx.Client();
        using var alt = fx.Client(AltKey, AltSecret);
        var bucket = NewBucket();
        await main.PutBucketAsync(new PutBucketRequest { BucketName = bucket, CannedACL = S3CannedACL.FindValue(acl) });
        await main.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "o", ContentBody = "body", CannedACL = S3CannedACL.FindValue(acl) });

        Assert.Equal(owner, await SdkAbilitiesAsync(main, bucket, "owner"));
        Assert.Equal(other, await SdkAbilitiesAsync(alt, bucket, "other"));
        Assert.Equal(anonymous, await CurlAbilitiesAsync(bucket));
    }

    private static async Task<string> SdkAbilitiesAsync(AmazonS3Client s3, string bucket, string who)
    {
        var result = "";
        if (await AllowedAsync(async () => { using var r = await s3.GetObjectAsync(bucket, "o"); }))
        {
            result += "G";
        }
        if (await AllowedAsync(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "new-" + who, ContentBody = "x" })))
        {
            result += "P";
        }
        if (await AllowedAsync(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })))
        {
            result += "L";
        }
        if (await AllowedAsync(() => s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket })))
        {
            result += "A";
        }
        return result;
    }

    private static async Task<bool> AllowedAsync(Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            Assert.Equal("AccessDenied", e.ErrorCode);
            return false;
        }
    }

    private async Task<string> CurlAbilitiesAsync(string bucket)
    {
        var root = fx.Http.ToString().TrimEnd('/') + "/" + bucket;
        var result = "";
        if (await CurlAsync("GET", root + "/o") == 200)
        {
            result += "G";
        }
        if (await CurlAsync("PUT", root + "/new-anonymous") == 200)
        {
            result += "P";
        }
        if (await CurlAsync("GET", root + "?list-type=2") == 200)
        {
            result += "L";
        }
        if (await CurlAsync("GET", root + "?acl") == 200)
        {
            result += "A";
        }
        return result;
    }

    private static async Task<int> CurlAsync(string method, string url)
    {
        var psi = new ProcessStartInfo("/usr/bin/curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", method, "--max-time", "20" })
        {
            psi.ArgumentList.Add(arg);
        }
        if (method == "PUT")
        {
            psi.ArgumentList.Add("--data-binary");
            psi.ArgumentList.Add("anonymous");
        }
        psi.ArgumentList.Add(url);
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var code = int.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(code is 200 or 403, $"{method} {url}: {code}");
        return code;
    }

    [Fact]
    public async Task Boto3_GrantsByIdEmailAndGroup_RoundTripAndErrors()
    {
        await fx.PutKeyAsync(AltKey, AltSecret, []);
        var psi = new ProcessStartInfo("/usr/bin/python3", Path.Combine(AppContext.BaseDirectory, "Scripts", "boto3_acl.py"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["AWS_ENDPOINT_URL_S3"] = fx.Http.ToString().TrimEnd('/');
        psi.Environment["MAIN_KEY"] = S3Fixture.OwnerKey;
        psi.Environment["MAIN_SECRET"] = S3Fixture.OwnerSecret;
        psi.Environment["ALT_KEY"] = AltKey;
        psi.Environment["ALT_SECRET"] = AltSecret;
        psi.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        psi.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(cts.Token);
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, output);
        Assert.EndsWith("OK", output.Trim());
    }

    [Fact]
    public async Task CreateBucket_OnExistingName_FollowsRgw()
    {
        await fx.PutKeyAsync(AltKey, AltSecret, []);
        using var main = fx.Client();
        using var alt = fx.Client(AltKey, AltSecret);
        var bucket = NewBucket();
        await main.PutBucketAsync(new PutBucketRequest { BucketName = bucket, CannedACL = S3CannedACL.PublicRead });
        await main.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "kept", ContentBody = "k" });

        // The owner asking again for the same ACL: 200, nothing reset.
        await main.PutBucketAsync(new PutBucketRequest { BucketName = bucket, CannedACL = S3CannedACL.PublicRead });
        Assert.Single((await main.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects);
        // The owner asking for another ACL, or someone else asking at all: 409 BucketAlreadyExists.
        var otherAcl = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => main.PutBucketAsync(bucket));
        Assert.Equal(("BucketAlreadyExists", HttpStatusCode.Conflict), (otherAcl.ErrorCode, otherAcl.StatusCode));
        var otherOwner = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => alt.PutBucketAsync(new PutBucketRequest { BucketName = bucket, CannedACL = S3CannedACL.PublicRead }));
        Assert.Equal(("BucketAlreadyExists", HttpStatusCode.Conflict), (otherOwner.ErrorCode, otherOwner.StatusCode));
        var acl = await main.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket });
        Assert.Contains(acl.Grants, g => g.Grantee.URI?.EndsWith("/AllUsers", StringComparison.Ordinal) == true && g.Permission == S3Permission.READ);
        Assert.Single((await main.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects);
    }

    [Fact]
    public async Task HangarPublicSwitch_IsTheCannedAclUnderneath()
    {
        var bucket = NewBucket();
        await fx.PutBucketAsync(bucket, new { @public = true, ownerKeyId = S3Fixture.OwnerKey });
        using var main = fx.Client();
        await main.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "page", ContentBody = "hi" });
        var grants = (await main.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket })).Grants;
        Assert.Equal(2, grants.Count);
        Assert.Contains(grants, g => g.Grantee.URI?.EndsWith("/AllUsers", StringComparison.Ordinal) == true && g.Permission == S3Permission.READ);
        var root = fx.Http.ToString().TrimEnd('/') + "/" + bucket;
        // The switch also opens every object to reads, whatever the object's own ACL says.
        Assert.Equal(200, await CurlAsync("GET", root + "/page"));
        Assert.Equal(200, await CurlAsync("GET", root + "?list-type=2"));

        // An S3 grant survives the daemon re-sending the same settings...
        await main.PutBucketAclAsync(new PutBucketAclRequest
        {
            BucketName = bucket,
            AccessControlPolicy = new S3AccessControlList
            {
                Owner = grants.Select(g => g.Grantee).Where(g => g.CanonicalUser is not null).Select(g => new Owner { Id = g.CanonicalUser }).First(),
                Grants = [.. grants, new S3Grant { Grantee = new S3Grantee { URI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" }, Permission = S3Permission.WRITE }],
            },
        });
        await fx.PutBucketAsync(bucket, new { @public = true, ownerKeyId = S3Fixture.OwnerKey });
        Assert.Equal(3, (await main.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket })).Grants.Count);
        // ...and flipping the switch is the canned ACL private.
        await fx.PutBucketAsync(bucket, new { @public = false, ownerKeyId = S3Fixture.OwnerKey });
        var closed = (await main.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket })).Grants;
        Assert.Equal(S3Permission.FULL_CONTROL, Assert.Single(closed).Permission);
        Assert.Equal(403, await CurlAsync("GET", root + "/page"));
        Assert.Equal(403, await CurlAsync("GET", root + "?list-type=2"));
    }

    [Fact]
    public async Task ScopedAndReadOnlyKeys_NeverGetMoreThanTheirScope()
    {
        var open = NewBucket();
        var home = NewBucket();
        using var main = fx.Client();
        await main.PutBucketAsync(new PutBucketRequest { BucketName = open, CannedACL = S3CannedACL.PublicReadWrite });
        await main.PutObjectAsync(new PutObjectRequest { BucketName = open, Key = "o", ContentBody = "o", CannedACL = S3CannedACL.PublicRead });
        await fx.PutBucketAsync(home, new { @public = false });
        await fx.PutKeyAsync("SCOPEDACL", "scoped-acl-secret-0123", [home]);
        await fx.PutKeyAsync("READONLYACL", "readonly-acl-secret-0123", [], readOnly: true);
        using var scoped = fx.Client("SCOPEDACL", "scoped-acl-secret-0123");
        using var readOnly = fx.Client("READONLYACL", "readonly-acl-secret-0123");

        // Anonymous may write into the public-read-write bucket; a key scoped elsewhere may not even read it.
        Assert.Equal(200, await CurlAsync("PUT", fx.Http.ToString().TrimEnd('/') + "/" + open + "/anon"));
        Assert.False(await AllowedAsync(() => scoped.PutObjectAsync(new PutObjectRequest { BucketName = open, Key = "s", ContentBody = "s" })));
        Assert.False(await AllowedAsync(async () => { using var r = await scoped.GetObjectAsync(open, "o"); }));
        // Inside its scope it acts for the bucket owner.
        await scoped.PutObjectAsync(new PutObjectRequest { BucketName = home, Key = "s", ContentBody = "s" });
        var acl = await scoped.GetObjectAclAsync(new GetObjectAclRequest { BucketName = home, Key = "s" });
        Assert.Equal("hangar", acl.Owner.DisplayName);

        // A read-only key reads what the ACL lets it read and never writes, whatever the ACL grants.
        using (var got = await readOnly.GetObjectAsync(open, "o"))
        {
            Assert.Equal("o", await new StreamReader(got.ResponseStream).ReadToEndAsync());
        }
        Assert.False(await AllowedAsync(() => readOnly.PutObjectAsync(new PutObjectRequest { BucketName = open, Key = "ro", ContentBody = "x" })));
    }

    [Fact]
    public async Task BucketsAndObjectsFromBeforeAcls_BehaveAsBefore_AndAclsSurviveRestart()
    {
        var dir = Directory.CreateTempSubdirectory("hangar-s3-legacy-");
        try
        {
            var options = new S3ServerOptions { DataDir = dir.FullName, AdminToken = "legacy-token", ConsoleLogging = false };
            string bucketId;
            string ownerId;
            await using (var server = await S3Server.StartAsync(options, CancellationToken.None))
            {
                using var admin = AdminClient(server.HttpAddress!);
                (await admin.PutAsJsonAsync("/_hangar/admin/keys/" + S3Fixture.OwnerKey, new { secretKey = S3Fixture.OwnerSecret, buckets = Array.Empty<string>() })).EnsureSuccessStatusCode();
                (await admin.PutAsJsonAsync("/_hangar/admin/keys/" + AltKey, new { secretKey = AltSecret, buckets = Array.Empty<string>() })).EnsureSuccessStatusCode();
                using var s3 = Client(server.HttpAddress!, S3Fixture.OwnerKey, S3Fixture.OwnerSecret);
                await s3.PutBucketAsync("legacy");
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = "legacy", Key = "old", ContentBody = "old" });
                await s3.PutBucketAsync(new PutBucketRequest { BucketName = "granted", CannedACL = S3CannedACL.AuthenticatedRead });
                ownerId = (await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = "legacy" })).Owner.Id;
                bucketId = server.Stores.Catalog.Snapshot.Buckets["legacy"].Id;
            }

            // What was set is still set after a restart, with the same canonical ids.
            await using (var server = await S3Server.StartAsync(options, CancellationToken.None))
            {
                using var s3 = Client(server.HttpAddress!, S3Fixture.OwnerKey, S3Fixture.OwnerSecret);
                using var alt = Client(server.HttpAddress!, AltKey, AltSecret);
                Assert.False(await AllowedAsync(() => alt.GetBucketAclAsync(new GetBucketAclRequest { BucketName = "granted" })));
                Assert.True(await AllowedAsync(() => alt.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "granted" })));
                Assert.Equal(ownerId, (await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = "granted" })).Owner.Id);
            }

            // Make "legacy" what an older Hangar left behind: no acl column, public switch on, an object row without an ACL.
            using (var catalog = Hangar.ObjectStore.Storage.Sqlite.Open(Path.Combine(dir.FullName, "catalog.db")))
            {
                Hangar.ObjectStore.Storage.Sqlite.Execute(catalog, "UPDATE buckets SET public = 1 WHERE name = 'legacy'");
                Hangar.ObjectStore.Storage.Sqlite.Execute(catalog, "UPDATE buckets SET acl = NULL WHERE name = 'legacy'");
            }
            using (var index = Hangar.ObjectStore.Storage.Sqlite.Open(Path.Combine(dir.FullName, "buckets", bucketId, "index.db")))
            {
                Hangar.ObjectStore.Storage.Sqlite.Execute(index, "UPDATE versions SET headers = 'content-type' || char(10) || 'binary/octet-stream' || char(10)");
            }
            await StripAclColumnAsync(Path.Combine(dir.FullName, "catalog.db"));

            await using (var server = await S3Server.StartAsync(options, CancellationToken.None))
            {
                using var s3 = Client(server.HttpAddress!, S3Fixture.OwnerKey, S3Fixture.OwnerSecret);
                using var alt = Client(server.HttpAddress!, AltKey, AltSecret);
                var acl = (await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = "legacy" }));
                Assert.Equal(ownerId, acl.Owner.Id);
                Assert.Equal(2, acl.Grants.Count);
                Assert.Contains(acl.Grants, g => g.Grantee.CanonicalUser == ownerId && g.Permission == S3Permission.FULL_CONTROL);
                Assert.Contains(acl.Grants, g => g.Grantee.URI?.EndsWith("/AllUsers", StringComparison.Ordinal) == true);
                var objectAcl = (await s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = "legacy", Key = "old" }));
                Assert.Equal(ownerId, Assert.Single(objectAcl.Grants).Grantee.CanonicalUser);
                using var http = new HttpClient { BaseAddress = server.HttpAddress };
                Assert.Equal("old", await http.GetStringAsync("/legacy/old"));
                Assert.False(await AllowedAsync(() => alt.PutObjectAsync(new PutObjectRequest { BucketName = "legacy", Key = "x", ContentBody = "x" })));
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = "legacy", Key = "new", ContentBody = "new" });

            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Rebuilds the buckets table in the shape it had before ACLs (SQLite's DROP COLUMN).</summary>
    private static Task StripAclColumnAsync(string catalogPath)
    {
        using var catalog = Hangar.ObjectStore.Storage.Sqlite.Open(catalogPath);
        Hangar.ObjectStore.Storage.Sqlite.Execute(catalog, "ALTER TABLE buckets DROP COLUMN acl");
        return Task.CompletedTask;
    }

    private static HttpClient AdminClient(Uri address)
    {
        var admin = new HttpClient { BaseAddress = address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "legacy-token");
        return admin;
    }

    private static AmazonS3Client Client(Uri address, string key, string secret) =>
        new(new Amazon.Runtime.BasicAWSCredentials(key, secret), new AmazonS3Config
        {
            ServiceURL = address.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "local",
            MaxErrorRetry = 0,
        });
}
