using System.Net;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Hangar.FunctionalTests.Infrastructure;
using Hangar.Testing;
using Xunit;

namespace Hangar.FunctionalTests.Storage;

/// <summary>
/// A whole daemon on a 200 MB tmpfs, filled through S3 and then by another writer: S3 answers with an error (not a
/// reset), deletes work, the API keeps answering, `hangar checks list` goes critical, and everything comes back
/// once space is freed without restarting anything.
/// </summary>
public sealed class FullDiskTests
{
    private const int Mib = 1024 * 1024;

    [Fact]
    public async Task A_full_data_disk_refuses_uploads_with_an_S3_error_takes_deletes_and_recovers_when_space_is_freed()
    {
        var hangar = new HangarDaemon("--s3-min-free-mb", "32");
        try
        {
            using var tmpfs = TmpfsMount.Create(200, hangar.DataDir);
            await using (hangar)
            {
                await RunAsync(hangar, tmpfs);
            }
        }
        finally
        {
            // The daemon's own cleanup cannot remove its data dir while it is a mount point.
            if (Directory.Exists(hangar.Root))
            {
                Directory.Delete(hangar.Root, recursive: true);
            }
        }
    }

    private static async Task RunAsync(HangarDaemon hangar, TmpfsMount tmpfs)
    {
        await hangar.StartAsync();
        var (bucket, s3) = await CreateBucketAsync(hangar, "full-disk");
        using (s3)
        {
            Assert.Equal("passing", await PlatformDiskAsync(hangar, expectedExit: 0));

            // Through S3 alone the disk never fills: uploads stop at the reserve with an S3 error.
            AmazonS3Exception? refused = null;
            var stored = new List<string>();
            for (var i = 0; i < 60 && refused is null; i++)
            {
                try
                {
                    await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"o{i}", InputStream = new MemoryStream(new byte[4 * Mib]) });
                    stored.Add($"o{i}");
                }
                catch (AmazonS3Exception ex)
                {
                    refused = ex;
                }
            }

            Assert.NotNull(refused);
            Assert.Equal((HttpStatusCode)507, refused.StatusCode);
            Assert.Equal("XMinioStorageFull", refused.ErrorCode);
            Assert.NotEmpty(stored);
            var free = new DriveInfo(hangar.DataDir).AvailableFreeSpace;
            Assert.InRange(free, 28L * Mib, 63L * Mib); // --s3-min-free-mb 32, not the 64 MiB default
            await hangar.Client().StatusAsync(CancellationToken.None);

            // Another writer takes the rest: the platform check goes critical, the API still answers, and
            // deletes through S3 still work.
            var ballast = tmpfs.Fill();
            Assert.Equal("critical", await PlatformDiskAsync(hangar, expectedExit: 1));

            // etcd dies while the disk is full: its restarts fail (no room for the pid file) and the API still answers.
            HangarDaemon.Signal(hangar.ChildPid("etcd")!.Value, "KILL");
            await Poll.UntilAsync(
                async () => (await hangar.Client().StatusAsync(CancellationToken.None)).Processes.Single(p => p.Name == "etcd").LastExit?.Contains("pid file", StringComparison.Ordinal) == true,
                TimeSpan.FromSeconds(30), "etcd's restart to fail on the full disk");
            var full = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "more", ContentBody = "x" }));
            Assert.Equal((HttpStatusCode)507, full.StatusCode);
            await s3.DeleteObjectAsync(bucket, stored[0]);
            await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, stored[0]));
            await hangar.RunAsync("status", "--json");
            Assert.Equal("critical", await PlatformDiskAsync(hangar, expectedExit: 1));

            // Space freed: the check passes, uploads work and the store is healthy, with nothing restarted by hand.
            File.Delete(ballast);
            foreach (var key in stored.Skip(1).Take(4))
            {
                await s3.DeleteObjectAsync(bucket, key);
            }

            Assert.Equal("passing", await PlatformDiskAsync(hangar, expectedExit: 0));
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "after", InputStream = new MemoryStream(new byte[4 * Mib]) });
            using (var got = await s3.GetObjectAsync(bucket, "after"))
            {
                Assert.Equal(4 * Mib, got.ContentLength);
            }

            // The supervisor's backoff (at most 30 s) brings etcd back by itself.
            await Poll.UntilAsync(async () => (await hangar.Client().StatusAsync(CancellationToken.None)).Store.Healthy, TimeSpan.FromSeconds(90), "the store to be healthy again");
            Assert.True((await hangar.Client().StatusAsync(CancellationToken.None)).Processes.Single(p => p.Name == "etcd").Ready);
            var log = await File.ReadAllTextAsync(Path.Combine(hangar.DataDir, "logs", "s3.log"));
            Assert.Contains("data disk full", log, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1048577")]
    public async Task Up_refuses_a_reserve_out_of_range(string value)
    {
        var hangar = new HangarDaemon();
        await using (hangar)
        {
            (await hangar.RunAsync("up", "--data-dir", hangar.DataDir, "--s3-min-free-mb", value)).ShouldFailWith($"invalid --s3-min-free-mb {value}: must be 0-1048576");
            Assert.False(Directory.Exists(Path.Combine(hangar.DataDir, "etcd")));
        }
    }

    /// <summary>The status of `hangar checks list` without -a (the platform's own disk check), asserting its exit code.</summary>
    private static async Task<string> PlatformDiskAsync(HangarDaemon hangar, int expectedExit)
    {
        var result = await hangar.RunAsync("checks", "list", "--json");
        Assert.True(result.ExitCode == expectedExit, $"exit {result.ExitCode}: {result.Stdout}{result.Stderr}");
        var check = Assert.Single(JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray());
        Assert.Equal("vm", check.GetProperty("name").GetString());
        Assert.Contains(hangar.DataDir, check.GetProperty("output").GetString(), StringComparison.Ordinal);
        return check.GetProperty("status").GetString()!;
    }

    private static async Task<(string Name, AmazonS3Client Client)> CreateBucketAsync(HangarDaemon hangar, string name)
    {
        var created = await hangar.JsonAsync("storage", "create", "--name", name);
        var c = created.GetProperty("credentials");
        return (c.GetProperty("bucketName").GetString()!, AppEnvironment.Client(
            c.GetProperty("accessKeyId").GetString()!, c.GetProperty("secretAccessKey").GetString()!, c.GetProperty("endpointUrl").GetString()!, c.GetProperty("region").GetString()!));
    }
}
