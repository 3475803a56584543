using Amazon.S3;
using Amazon.S3.Model;

namespace Hangar.ObjectStore.Tests;

/// <summary>A shadow bucket reading through to a second real server acting as the upstream S3.</summary>
public sealed class ShadowTests : IAsyncLifetime
{
    private readonly S3Fixture _local = new();
    private readonly S3Fixture _upstream = new();

    public async Task InitializeAsync()
    {
        await _local.InitializeAsync();
        await _upstream.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _local.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task MissesFetchFromUpstream_ThenServeLocally_ListingMerges_WritesGoThrough()
    {
        using var up = _upstream.Client();
        await up.PutBucketAsync("origin");
        var meta = new PutObjectRequest { BucketName = "origin", Key = "old/a.txt", ContentBody = "from upstream", ContentType = "text/plain" };
        meta.Metadata["source"] = "aws";
        await up.PutObjectAsync(meta);
        await up.PutObjectAsync(new PutObjectRequest { BucketName = "origin", Key = "old/b.txt", ContentBody = "bbb" });

        await _local.PutBucketAsync("mirror", new
        {
            ownerKeyId = S3Fixture.OwnerKey,
            shadow = new { bucket = "origin", endpoint = _upstream.Http.ToString(), accessKey = S3Fixture.OwnerKey, secretKey = S3Fixture.OwnerSecret, region = "local", writeThrough = true },
        });
        using var local = _local.Client();
        await local.PutObjectAsync(new PutObjectRequest { BucketName = "mirror", Key = "new/c.txt", ContentBody = "local" });

        var listing = await local.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "mirror" });
        Assert.Equal(["new/c.txt", "old/a.txt", "old/b.txt"], listing.S3Objects.Select(o => o.Key));
        var prefixes = await local.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "mirror", Delimiter = "/" });
        Assert.Equal(["new/", "old/"], prefixes.CommonPrefixes);

        using (var first = await local.GetObjectAsync("mirror", "old/a.txt"))
        {
            Assert.Equal("from upstream", await new StreamReader(first.ResponseStream).ReadToEndAsync());
            Assert.Equal("aws", first.Metadata["source"]);
            Assert.Equal("text/plain", first.Headers.ContentType);
        }
        // Now gone upstream, still served from the local copy.
        await up.DeleteObjectAsync("origin", "old/a.txt");
        using (var second = await local.GetObjectAsync("mirror", "old/a.txt"))
        {
            Assert.Equal("from upstream", await new StreamReader(second.ResponseStream).ReadToEndAsync());
        }
        // Write-through: the local PUT of new/c.txt reached the upstream, and so does a delete.
        using (var mirrored = await up.GetObjectAsync("origin", "new/c.txt"))
        {
            Assert.Equal("local", await new StreamReader(mirrored.ResponseStream).ReadToEndAsync());
        }
        await local.DeleteObjectAsync("mirror", "old/b.txt");
        var goneUpstream = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => up.GetObjectAsync("origin", "old/b.txt"));
        Assert.Equal("NoSuchKey", goneUpstream.ErrorCode);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => local.GetObjectAsync("mirror", "never/existed"));
        Assert.Equal("NoSuchKey", missing.ErrorCode);
    }
}
