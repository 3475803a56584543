using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Redis;

/// <summary>The data path never goes through the daemon: its death interrupts no Redis client. Own daemon, since it gets killed.</summary>
public sealed class RedisDaemonKillTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Kill_9_of_the_daemon_leaves_clients_served_and_the_next_daemon_adopts_and_keeps_the_data()
    {
        await using var hangar = await HangarDaemon.StartNewAsync();
        var created = await hangar.JsonAsync("redis", "create", "--name", "steady");
        var url = RedisUrl.Parse(created.GetProperty("url").GetString()!);
        await using var open = await url.OpenAsync();
        Assert.Equal("OK", (await open.SendAsync(["SET", "before", "1"], None)).Text);
        var pid = hangar.ChildPid("redis-steady");

        await hangar.KillAsync();

        Assert.Equal("OK", (await open.SendAsync(["SET", "during", "2"], None)).Text);
        await using (var fresh = await url.OpenAsync())
        {
            Assert.Equal("1", (await fresh.SendAsync(["GET", "before"], None)).Text);
        }

        await hangar.StartAsync();
        var status = await Poll.UntilAsync(
            () => hangar.JsonAsync("redis", "status", "steady"),
            s => s.GetProperty("processState").GetString() == "running",
            TimeSpan.FromSeconds(30),
            "redis-steady adopted");
        Assert.True(status.GetProperty("adopted").GetBoolean(), status.ToString());
        Assert.Equal(pid, status.GetProperty("pid").GetInt32());
        Assert.Equal("2", (await open.SendAsync(["GET", "during"], None)).Text);

        // A clean stop of the daemon stops redis-server too; the next daemon starts it again on the same data.
        await hangar.StopAsync();
        await hangar.StartAsync();
        await Poll.UntilAsync(
            () => hangar.JsonAsync("redis", "status", "steady"),
            s => s.GetProperty("processState").GetString() == "running" && s.TryGetProperty("keys", out _),
            TimeSpan.FromSeconds(30),
            "redis-steady restarted");
        await using var after = await url.OpenAsync();
        Assert.Equal("1", (await after.SendAsync(["GET", "before"], None)).Text);
        Assert.Equal("2", (await after.SendAsync(["GET", "during"], None)).Text);
        (await hangar.RunAsync("redis", "destroy", "steady", "--yes")).ShouldSucceed();
    }
}
