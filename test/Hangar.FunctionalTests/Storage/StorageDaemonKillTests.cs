using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3.Model;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Storage;

/// <summary>The data path never goes through the daemon: its death interrupts no S3 transfer. Own daemon, since it gets killed.</summary>
public sealed class StorageDaemonKillTests
{
    [Fact]
    public async Task Kill_9_of_the_daemon_during_a_large_upload_leaves_it_intact_and_the_next_daemon_adopts_s3()
    {
        await using var hangar = await HangarDaemon.StartNewAsync();
        var created = await hangar.JsonAsync("storage", "create", "--name", "big-uploads");
        var c = created.GetProperty("credentials");
        using var s3 = AppEnvironment.Client(c.GetProperty("accessKeyId").GetString()!, c.GetProperty("secretAccessKey").GetString()!, hangar.S3Url, "local");
        var pid = hangar.ChildPid("s3");
        Assert.NotNull(pid);

        var body = new byte[48 * 1024 * 1024];
        new Random(42).NextBytes(body);
        var upload = s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "big-uploads",
            Key = "large.bin",
            InputStream = new ThrottledStream(body, TimeSpan.FromMilliseconds(3)),
            AutoCloseStream = true,
        });

        // Kill the daemon once the S3 server has part of the body on disk: the transfer is under way.
        var tmp = Path.Combine(hangar.DataDir, "s3", "tmp");
        await Poll.UntilAsync(
            () => upload.IsCompleted || Directory.Exists(tmp) && Directory.EnumerateFiles(tmp).Any(f => new FileInfo(f).Length > 4 * 1024 * 1024),
            TimeSpan.FromSeconds(30),
            "upload under way");
        Assert.False(upload.IsCompleted, "the upload finished before the daemon could be killed; make it slower");
        await hangar.KillAsync();

        await upload;
        using (var got = await s3.GetObjectAsync("big-uploads", "large.bin"))
        using (var sha = SHA256.Create())
        {
            Assert.Equal(SHA256.HashData(body), await sha.ComputeHashAsync(got.ResponseStream));
        }

        await hangar.StartAsync();
        var s3Process = (await hangar.JsonAsync("status")).GetProperty("processes").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "s3");
        Assert.Equal(pid, s3Process.GetProperty("pid").GetInt32());
        Assert.True(s3Process.GetProperty("adopted").GetBoolean(), s3Process.ToString());
        Assert.Equal(body.Length, (await hangar.JsonAsync("storage", "show", "big-uploads")).GetProperty("bytes").GetInt64());
        (await hangar.RunAsync("storage", "destroy", "big-uploads", "--yes", "--force")).ShouldSucceed();
    }
}
