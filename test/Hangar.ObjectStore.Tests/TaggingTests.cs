using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using S3Tagging = Amazon.S3.Model.Tagging;

namespace Hangar.ObjectStore.Tests;

/// <summary>Object tagging through the AWS SDK for .NET against the real server.</summary>
public sealed class TaggingTests(S3Fixture fx) : IClassFixture<S3Fixture>
{
    private static List<Tag> Tags(params (string Key, string Value)[] tags) => [.. tags.Select(t => new Tag { Key = t.Key, Value = t.Value })];

    private static List<(string, string)> Pairs(List<Tag>? tags) => [.. (tags ?? []).Select(t => (t.Key, t.Value))];

    private async Task<(AmazonS3Client S3, string Bucket)> BucketAsync()
    {
        var s3 = fx.Client();
        var bucket = "tags-" + Guid.NewGuid().ToString("N")[..10];
        await s3.PutBucketAsync(bucket);
        return (s3, bucket);
    }

    [Fact]
    public async Task PutGetDelete_AndTagsOnPut_CountOnGet()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a.txt", ContentBody = "a", TagSet = Tags(("team", "blue"), ("tier", "hot data")) });
        var got = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "a.txt" });
        Assert.Equal([("team", "blue"), ("tier", "hot data")], Pairs(got.Tagging));
        using (var get = await s3.GetObjectAsync(bucket, "a.txt"))
        {
            Assert.Equal(2, get.TagCount);
        }

        await s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = bucket, Key = "a.txt", Tagging = new S3Tagging { TagSet = Tags(("only", "one")) } });
        Assert.Equal([("only", "one")], Pairs((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "a.txt" })).Tagging));
        // Other settings of the version stay: its ACL and content type are untouched by tagging.
        Assert.Equal("text/plain", (await s3.GetObjectMetadataAsync(bucket, "a.txt")).Headers.ContentType);

        var deleted = await s3.DeleteObjectTaggingAsync(new DeleteObjectTaggingRequest { BucketName = bucket, Key = "a.txt" });
        Assert.Equal(HttpStatusCode.NoContent, deleted.HttpStatusCode);
        Assert.Empty(Pairs((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "a.txt" })).Tagging));
        using (var get = await s3.GetObjectAsync(bucket, "a.txt"))
        {
            Assert.Equal(0, get.TagCount);
        }

        // Tags leave with the object: the same key written again has none.
        await s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = bucket, Key = "a.txt", Tagging = new S3Tagging { TagSet = Tags(("x", "1")) } });
        await s3.DeleteObjectAsync(bucket, "a.txt");
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "a.txt" }));
        Assert.Equal("NoSuchKey", missing.ErrorCode);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a.txt", ContentBody = "again" });
        Assert.Empty(Pairs((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "a.txt" })).Tagging));
    }

    [Fact]
    public async Task Copy_FollowsTheTaggingDirective_AndMultipartKeepsItsTags()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "src", ContentBody = "s", TagSet = Tags(("from", "source")) });
        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "src", DestinationBucket = bucket, DestinationKey = "copied" });
        Assert.Equal([("from", "source")], Pairs((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "copied" })).Tagging));
        await s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket, SourceKey = "src", DestinationBucket = bucket, DestinationKey = "replaced",
            TaggingDirective = TaggingDirective.REPLACE, TagSet = Tags(("new", "tags")),
        });
        Assert.Equal([("new", "tags")], Pairs((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "replaced" })).Tagging));
        // Metadata REPLACE does not drop the tags: the tagging directive alone decides them.
        await s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket, SourceKey = "src", DestinationBucket = bucket, DestinationKey = "new-meta",
            MetadataDirective = S3MetadataDirective.REPLACE, ContentType = "application/json",
        });
        Assert.Equal([("from", "source")], Pairs((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "new-meta" })).Tagging));

        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "mp", TagSet = Tags(("multi", "part")) });
        var part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "mp", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream([1, 2, 3]) });
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "mp", UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)] });
        Assert.Equal([("multi", "part")], Pairs((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "mp" })).Tagging));
    }

    [Fact]
    public async Task Versions_EachKeepTheirOwnTags()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var v1 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "1", TagSet = Tags(("v", "1")) });
        var v2 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "2", TagSet = Tags(("v", "2")) });
        await s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = bucket, Key = "k", VersionId = v1.VersionId, Tagging = new S3Tagging { TagSet = Tags(("v", "one")) } });
        var first = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "k", VersionId = v1.VersionId });
        Assert.Equal(v1.VersionId, first.VersionId);
        Assert.Equal([("v", "one")], Pairs(first.Tagging));
        Assert.Equal([("v", "2")], Pairs((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "k" })).Tagging));
        Assert.Equal([("v", "2")], Pairs((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "k", VersionId = v2.VersionId })).Tagging));
    }

    [Fact]
    public async Task PublicReadObject_TagsStayPrivate()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x", CannedACL = S3CannedACL.PublicRead, TagSet = Tags(("secret", "yes")) });
        using var anonymous = new HttpClient { BaseAddress = fx.Http };
        using (var get = await anonymous.GetAsync($"/{bucket}/k"))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        }
        using var tags = await anonymous.GetAsync($"/{bucket}/k?tagging");
        Assert.Equal(HttpStatusCode.Forbidden, tags.StatusCode);
        Assert.Contains("<Code>AccessDenied</Code>", await tags.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadTagSets_GetS3sErrors_AndChangeNothing()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x", TagSet = Tags(("keep", "me")) });
        async Task Refused(string code, List<Tag> tags)
        {
            var error = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
                s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = bucket, Key = "k", Tagging = new S3Tagging { TagSet = tags } }));
            Assert.Equal((HttpStatusCode.BadRequest, code), (error.StatusCode, error.ErrorCode));
            var put = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
                s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "other", ContentBody = "x", TagSet = tags }));
            Assert.Equal((HttpStatusCode.BadRequest, code), (put.StatusCode, put.ErrorCode));
        }
        await Refused("BadRequest", [.. Enumerable.Range(0, 11).Select(i => new Tag { Key = "k" + i, Value = "v" })]);
        await Refused("InvalidTag", Tags((new string('k', 129), "v")));
        await Refused("InvalidTag", Tags(("k", new string('v', 257))));
        await Refused("InvalidTag", Tags(("dup", "1"), ("dup", "2")));
        Assert.Equal([("keep", "me")], Pairs((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "k" })).Tagging));
        var none = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "other"));
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }
}
