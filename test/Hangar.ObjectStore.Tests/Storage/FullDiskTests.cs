using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Hangar.ObjectStore.Hosting;
using Hangar.Testing;

namespace Hangar.ObjectStore.Tests.Storage;

/// <summary>The real S3 server on a small tmpfs: a full disk answers with an S3 error, deletes work, space freed is usable at once.</summary>
public sealed class FullDiskTests
{
    private const string Key = "FULLKEY";
    private const string Secret = "full-secret-0123456789";
    private const int Mib = 1024 * 1024;

    [Fact]
    public async Task Uploads_are_refused_with_507_at_the_reserve_and_a_delete_makes_room_again()
    {
        using var tmpfs = TmpfsMount.Create(64);
        await using var server = await StartAsync(tmpfs, minFreeBytes: 24L * Mib);
        using var s3 = Client(server);
        await s3.PutBucketAsync("fill");
        AmazonS3Exception? refused = null;
        var stored = 0;
        for (var i = 0; i < 30 && refused is null; i++)
        {
            try
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = "fill", Key = $"obj{i}", InputStream = new MemoryStream(new byte[4 * Mib]) });
                stored++;
            }
            catch (AmazonS3Exception ex)
            {
                refused = ex;
            }
        }
        Assert.NotNull(refused);
        Assert.Equal((HttpStatusCode)507, refused.StatusCode);
        Assert.Equal("XMinioStorageFull", refused.ErrorCode);
        Assert.InRange(stored, 1, 29);
        Assert.True(new DriveInfo(tmpfs.Path).AvailableFreeSpace >= 20L * Mib, "the reserve was eaten into");
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(tmpfs.Path, "data", "tmp")));

        // Neither a copy nor a multipart upload can be used to go around the reserve.
        var refusedCopy = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CopyObjectAsync("fill", "obj0", "fill", "copy"));
        Assert.Equal((HttpStatusCode)507, refusedCopy.StatusCode);
        var upload = await s3.InitiateMultipartUploadAsync("fill", "mp");
        var refusedPart = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = "fill", Key = "mp", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[5 * Mib]),
        }));
        Assert.Equal((HttpStatusCode)507, refusedPart.StatusCode);
        await s3.AbortMultipartUploadAsync("fill", "mp", upload.UploadId);

        await s3.DeleteObjectAsync("fill", "obj0");
        await s3.DeleteObjectAsync("fill", "obj1");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "fill", Key = "after", InputStream = new MemoryStream(new byte[4 * Mib]) });
        using var get = await s3.GetObjectAsync("fill", "after");
        Assert.Equal(4 * Mib, get.ContentLength);
    }

    [Fact]
    public async Task A_disk_filled_by_another_process_fails_the_put_cleanly_takes_deletes_and_recovers_without_restart()
    {
        using var tmpfs = TmpfsMount.Create(64);
        await using var server = await StartAsync(tmpfs, minFreeBytes: 0);
        using var s3 = Client(server);
        await s3.PutBucketAsync("shared");
        for (var i = 0; i < 3; i++)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "shared", Key = $"keep{i}", InputStream = new MemoryStream(new byte[2 * Mib]) });
        }
        var blobs = BlobFiles(tmpfs);
        Assert.Equal(3, blobs.Count);

        // Someone else fills the disk: the body fits the last free bytes, the index commit after it cannot.
        var ballast = tmpfs.Fill();
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            s3.PutObjectAsync(new PutObjectRequest { BucketName = "shared", Key = "tiny", ContentBody = "x" }));
        Assert.Equal((HttpStatusCode)507, refused.StatusCode);
        Assert.Equal("XMinioStorageFull", refused.ErrorCode);
        Assert.Equal(blobs, BlobFiles(tmpfs));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(tmpfs.Path, "data", "tmp")));

        // Deletes still commit on the full disk (the spare file gives SQLite room), and free the blob.
        await s3.DeleteObjectAsync("shared", "keep0");
        await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync("shared", "keep0"));
        Assert.Equal(2, BlobFiles(tmpfs).Count);
        await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = "shared", Objects = [new KeyVersion { Key = "keep1" }] });
        Assert.Single(BlobFiles(tmpfs));

        File.Delete(ballast);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "shared", Key = "after", InputStream = new MemoryStream(new byte[2 * Mib]) });
        using var get = await s3.GetObjectAsync("shared", "after");
        Assert.Equal(2 * Mib, get.ContentLength);
        // The spare is back for the next time the disk fills.
        Assert.Equal(4L * Mib, new FileInfo(Path.Combine(tmpfs.Path, "data", "spare")).Length);
    }

    private static List<string> BlobFiles(TmpfsMount tmpfs) =>
        Directory.GetFiles(Path.Combine(tmpfs.Path, "data", "buckets"), "*", SearchOption.AllDirectories)
            .Where(f => f.Contains("/blobs/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

    private static async Task<S3Server> StartAsync(TmpfsMount tmpfs, long minFreeBytes)
    {
        var server = await S3Server.StartAsync(new S3ServerOptions
        {
            DataDir = Path.Combine(tmpfs.Path, "data"),
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            AdminToken = "full-admin",
            ConsoleLogging = false,
            MinFreeBytes = minFreeBytes,
        }, CancellationToken.None);
        using var admin = new HttpClient { BaseAddress = server.HttpAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "full-admin");
        using var response = await admin.PutAsJsonAsync($"/_hangar/admin/keys/{Key}", new { secretKey = Secret, buckets = Array.Empty<string>() });
        response.EnsureSuccessStatusCode();
        return server;
    }

    private static AmazonS3Client Client(S3Server server) =>
        new(new BasicAWSCredentials(Key, Secret), new AmazonS3Config
        {
            ServiceURL = server.HttpAddress!.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "local",
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromSeconds(30),
        });
}
