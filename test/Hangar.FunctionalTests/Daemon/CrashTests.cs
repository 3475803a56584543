using System.Security.Cryptography;
using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Daemon;

/// <summary>Tests that kill the daemon get a daemon of their own.</summary>
public sealed class CrashTests
{
    [Fact]
    public async Task Kill_9_of_the_daemon_leaves_etcd_running_and_the_next_daemon_adopts_it()
    {
        await using var daemon = await HangarDaemon.StartNewAsync();
        (await daemon.RunAsync("apps", "create", "survivor")).ShouldSucceed();
        var etcdPid = EtcdPid(daemon);
        await daemon.KillAsync();
        Assert.True(Directory.Exists($"/proc/{etcdPid}"), "etcd died with the daemon");

        await daemon.StartAsync();
        Assert.Equal(etcdPid, EtcdPid(daemon));
        var status = JsonDocument.Parse((await daemon.RunAsync("status", "--json")).ShouldSucceed().Stdout).RootElement;
        var etcd = status.GetProperty("processes").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "etcd");
        Assert.True(etcd.GetProperty("adopted").GetBoolean());
        Assert.Single(System.Diagnostics.Process.GetProcessesByName("etcd"), p => File.ReadAllText($"/proc/{p.Id}/cmdline").Contains(daemon.DataDir, StringComparison.Ordinal));
        Assert.Contains("survivor", (await daemon.RunAsync("apps", "list")).ShouldSucceed().Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kill_9_of_the_daemon_during_a_fork_converges_after_restart()
    {
        await using var daemon = await HangarDaemon.StartNewAsync();
        var source = JsonDocument.Parse((await daemon.RunAsync("volumes", "create", "big", "--json")).ShouldSucceed().Stdout).RootElement.GetProperty("id").GetString()!;
        var sourcePath = Path.Combine(daemon.DataDir, "volumes", source);
        var random = new Random(7);
        var buffer = new byte[1024 * 1024];
        for (var i = 0; i < 300; i++)
        {
            random.NextBytes(buffer);
            await File.WriteAllBytesAsync(Path.Combine(sourcePath, $"f{i:D3}.bin"), buffer);
        }

        var volumes = Path.Combine(daemon.DataDir, "volumes");
        var fork = daemon.RunAsync("volumes", "fork", source, "--name", "forked", "--json");

        // Kill the daemon while the copy is under way: a ".tmp-" directory is the fork in progress.
        await Poll.UntilAsync(() => Directory.GetDirectories(volumes, ".tmp-*").Length > 0 || fork.IsCompleted, TimeSpan.FromSeconds(60), "the fork to start copying");
        var caughtMidway = !fork.IsCompleted;
        await daemon.KillAsync();
        await fork;

        await daemon.StartAsync();
        JsonElement forked = default;
        await Poll.UntilAsync(async () =>
        {
            var list = JsonDocument.Parse((await daemon.RunAsync("volumes", "list", "--json")).ShouldSucceed().Stdout).RootElement;
            forked = list.EnumerateArray().FirstOrDefault(v => v.GetProperty("name").GetString() == "forked");
            return forked.ValueKind == JsonValueKind.Object && forked.GetProperty("phase").GetString() == "created";
        }, TimeSpan.FromSeconds(120), "the fork to converge");

        Assert.True(caughtMidway, "the kill did not land while the fork was copying");
        Assert.Empty(Directory.GetDirectories(volumes, ".tmp-*"));
        var forkPath = Path.Combine(volumes, forked.GetProperty("id").GetString()!);
        foreach (var file in Directory.GetFiles(sourcePath))
        {
            Assert.Equal(SHA256.HashData(File.ReadAllBytes(file)), SHA256.HashData(File.ReadAllBytes(Path.Combine(forkPath, Path.GetFileName(file)))));
        }

        Assert.Equal(Directory.GetFiles(sourcePath).Length, Directory.GetFiles(forkPath).Length);
    }

    private static int EtcdPid(HangarDaemon daemon) =>
        int.Parse(File.ReadAllText(Path.Combine(daemon.DataDir, "run", "etcd.pid")).Split(' ')[0]);
}
