using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;
using Hangar.Redis.Resp;

namespace Hangar.FunctionalTests.Redis;

[Collection(SharedDaemonCollection.Name)]
public sealed class RedisLifecycleTests(SharedDaemon fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly HangarDaemon _hangar = fixture.Daemon;

    [Fact]
    public async Task Create_attach_run_and_destroy_round_trip()
    {
        var created = await _hangar.JsonAsync("redis", "create", "--name", "cache", "--maxmemory", "32");
        var url = RedisUrl.Parse(created.GetProperty("url").GetString()!);
        Assert.Equal("running", created.GetProperty("instance").GetProperty("state").GetString());

        // The URL is printed by create only: list and status never show the password.
        var list = (await _hangar.RunAsync("redis", "list")).ShouldSucceed();
        Assert.Contains("cache", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(url.Password, list.Stdout + (await _hangar.RunAsync("redis", "list", "--json")).Stdout, StringComparison.Ordinal);
        var status = await _hangar.JsonAsync("redis", "status", "cache");
        Assert.Equal(32L * 1024 * 1024, status.GetProperty("maxMemoryBytes").GetInt64());
        Assert.True(status.GetProperty("aofEnabled").GetBoolean());
        Assert.Contains("Memory", (await _hangar.RunAsync("status", "-a", "cache")).ShouldSucceed().Stdout, StringComparison.Ordinal);
        Assert.Contains("Ready to accept connections", (await _hangar.RunAsync("logs", "-a", "cache")).ShouldSucceed().Stdout, StringComparison.Ordinal);
        var checks = await _hangar.JsonAsync("checks", "list", "-a", "cache");
        Assert.Equal(["redis:passing", "vm:passing"], checks.EnumerateArray().Select(c => c.GetProperty("name").GetString() + ":" + c.GetProperty("status").GetString()).Order());

        (await _hangar.RunAsync("apps", "create", "web")).ShouldSucceed();
        (await _hangar.RunAsync("redis", "attach", "cache", "--app", "web")).ShouldSucceed();
        Assert.Contains("already exists", (await _hangar.RunAsync("redis", "attach", "cache", "--app", "web")).Fails(), StringComparison.Ordinal);

        var set = (await _hangar.RunAsync("run", "-a", "web", "--", "sh", "-c", "redis-cli --no-auth-warning -u \"$REDIS_URL\" SET greeting hello")).ShouldSucceed();
        Assert.Equal("OK", set.Stdout.Trim());
        var get = (await _hangar.RunAsync("run", "-a", "web", "--", "sh", "-c", "redis-cli --no-auth-warning -u \"$REDIS_URL\" GET greeting")).ShouldSucceed();
        Assert.Equal("hello", get.Stdout.Trim());

        Assert.Contains("is attached to app 'web'", (await _hangar.RunAsync("redis", "destroy", "cache", "--yes")).Fails(), StringComparison.Ordinal);
        var volumeId = status.GetProperty("instance").GetProperty("volumeId").GetString()!;
        (await _hangar.RunAsync("redis", "destroy", "cache", "--yes", "--force")).ShouldSucceed();

        Assert.Equal("[]", (await _hangar.JsonAsync("secrets", "list", "-a", "web")).ToString().Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.DoesNotContain("cache", (await _hangar.RunAsync("redis", "list")).ShouldSucceed().Stdout, StringComparison.Ordinal);
        await Poll.UntilAsync(() => _hangar.RunAsync("volumes", "list", "--json"), r => !r.Stdout.Contains(volumeId, StringComparison.Ordinal), TimeSpan.FromSeconds(10), "volume removed");
        Assert.Null(_hangar.ChildPid("redis-cache"));
        await Assert.ThrowsAnyAsync<Exception>(() => RespConnection.ConnectAsync(url.Host, url.Port, None));
        (await _hangar.RunAsync("apps", "destroy", "web", "--yes")).ShouldSucceed();
    }

    [Fact]
    public async Task Access_needs_the_password_and_administrative_commands_are_refused()
    {
        var url = await CreateAsync("locked");
        await using var anonymous = await RespConnection.ConnectAsync(url.Host, url.Port, None);
        Assert.Equal("NOAUTH", (await anonymous.SendAsync(["GET", "x"], None)).ErrorCode);
        Assert.Equal("WRONGPASS", (await anonymous.SendAsync(["AUTH", url.User, url.Password + "x"], None)).ErrorCode);
        Assert.Equal("WRONGPASS", (await anonymous.SendAsync(["AUTH", "default", string.Empty], None)).ErrorCode);

        await using var app = await url.OpenAsync();
        Assert.Equal("PONG", (await app.SendAsync(["PING"], None)).Text);
        foreach (var command in new[] { new[] { "FLUSHALL" }, ["CONFIG", "GET", "*"], ["SHUTDOWN", "NOSAVE"], ["MODULE", "LIST"], ["ACL", "SETUSER", "x", "on"], ["BGSAVE"] })
        {
            Assert.Equal("NOPERM", (await app.SendAsync(command, None)).ErrorCode);
        }

        Assert.True((await app.SendAsync(["DEBUG", "SLEEP", "0"], None)).IsError);
        Assert.Equal("PONG", (await app.SendAsync(["PING"], None)).Text);
        await DestroyAsync("locked");
    }

    [Fact]
    public async Task Bad_input_fails_in_one_line_and_leaves_nothing()
    {
        var before = (await _hangar.RunAsync("volumes", "list", "--json")).ShouldSucceed().Stdout;

        Assert.Equal(
            "Error: invalid redis name 'Bad_Name': lowercase letters, digits and '-', 1-63 characters, starting with a letter; invalid --maxmemory 8: must be 16-65536; invalid --persistence 'disk': must be aof, rdb or none",
            (await _hangar.RunAsync("redis", "create", "--name", "Bad_Name", "--maxmemory", "8", "--persistence", "disk")).Fails());
        Assert.Contains("invalid --maxmemory 70000", (await _hangar.RunAsync("redis", "create", "--name", "big", "--maxmemory", "70000")).Fails(), StringComparison.Ordinal);
        Assert.Contains("cannot go together", (await _hangar.RunAsync("redis", "create", "--name", "both", "--enable-eviction", "--disable-eviction")).Fails(), StringComparison.Ordinal);
        Assert.Equal("Error: redis 'ghost' not found", (await _hangar.RunAsync("redis", "status", "ghost")).Fails());
        Assert.Equal("Error: redis 'ghost' not found", (await _hangar.RunAsync("redis", "destroy", "ghost", "--yes")).Fails());
        Assert.Equal("Error: redis 'ghost' not found", (await _hangar.RunAsync("redis", "attach", "ghost", "--app", "nobody")).Fails());
        Assert.Equal("Error: no resource named 'ghost' has checks", (await _hangar.RunAsync("checks", "list", "-a", "ghost")).Fails());

        await CreateAsync("dup");
        Assert.Equal("Error: redis 'dup' already exists", (await _hangar.RunAsync("redis", "create", "--name", "dup")).Fails());
        Assert.Equal("Error: app 'nobody' not found", (await _hangar.RunAsync("redis", "attach", "dup", "--app", "nobody")).Fails());
        (await _hangar.RunAsync("apps", "create", "lonely")).ShouldSucceed();
        Assert.Equal("Error: redis 'dup' is not attached to app 'lonely'", (await _hangar.RunAsync("redis", "detach", "dup", "--app", "lonely")).Fails());
        Assert.Contains("nothing to update", (await _hangar.RunAsync("redis", "update", "dup")).Fails(), StringComparison.Ordinal);
        Assert.Contains("invalid --maxmemory 1", (await _hangar.RunAsync("redis", "update", "dup", "--maxmemory", "1")).Fails(), StringComparison.Ordinal);
        Assert.Contains("without confirmation", (await _hangar.RunAsync("redis", "destroy", "dup")).Fails(), StringComparison.Ordinal);
        await DestroyAsync("dup");
        (await _hangar.RunAsync("apps", "destroy", "lonely", "--yes")).ShouldSucceed();

        var names = (await _hangar.JsonAsync("redis", "list")).EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.DoesNotContain("big", names);
        Assert.DoesNotContain("both", names);
        Assert.Equal(before, (await _hangar.RunAsync("volumes", "list", "--json")).ShouldSucceed().Stdout);
    }

    [Fact]
    public async Task Full_instance_refuses_writes_without_eviction_and_evicts_with_it()
    {
        var url = await CreateAsync("small", "--maxmemory", "16", "--disable-eviction");
        await using var app = await url.OpenAsync();
        var value = new string('x', 64 * 1024);
        RespValue reply = RespValue.Nil;
        var written = 0;
        for (; written < 1000 && !reply.IsError; written++)
        {
            reply = await app.SendAsync(["SET", "key:" + written, value], None);
        }

        Assert.Equal("OOM", reply.ErrorCode);
        Assert.Contains("maxmemory", reply.Text, StringComparison.Ordinal);
        Assert.True(written > 50, $"only {written} writes before OOM");

        var updated = await _hangar.JsonAsync("redis", "update", "small", "--enable-eviction");
        Assert.Equal("allkeys-lru", updated.GetProperty("evictionPolicy").GetString());
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal("OK", (await app.SendAsync(["SET", "more:" + i, value], None)).Text);
        }

        var status = await _hangar.JsonAsync("redis", "status", "small");
        Assert.True(status.GetProperty("evictedKeys").GetInt64() > 0, status.ToString());
        Assert.True(status.GetProperty("usedMemoryBytes").GetInt64() <= 17L * 1024 * 1024, status.ToString());
        await DestroyAsync("small");
    }

    [Fact]
    public async Task Data_written_before_a_kill_of_redis_server_is_there_after_the_restart()
    {
        var url = await CreateAsync("durable");
        await using (var app = await url.OpenAsync())
        {
            Assert.Equal("OK", (await app.SendAsync(["SET", "survivor", "still-here"], None)).Text);
        }

        // appendfsync everysec: a write is on disk within about a second, so wait out that second (the spec's bound).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var pid = _hangar.ChildPid("redis-durable") ?? throw new InvalidOperationException("no pid file for redis-durable");
        HangarDaemon.Signal(pid, "KILL");

        var status = await Poll.UntilAsync(
            () => _hangar.JsonAsync("redis", "status", "durable"),
            s => s.GetProperty("restarts").GetInt32() >= 1 && s.GetProperty("processState").GetString() == "running" && s.TryGetProperty("keys", out _),
            TimeSpan.FromSeconds(30),
            "redis-durable restarted");
        Assert.NotEqual(pid, status.GetProperty("pid").GetInt32());
        await using (var app = await url.OpenAsync())
        {
            Assert.Equal("still-here", (await app.SendAsync(["GET", "survivor"], None)).Text);
        }

        await DestroyAsync("durable");
    }

    private async Task<RedisUrl> CreateAsync(string name, params string[] flags)
    {
        var created = await _hangar.JsonAsync(["redis", "create", "--name", name, .. flags]);
        return RedisUrl.Parse(created.GetProperty("url").GetString()!);
    }

    private async Task DestroyAsync(string name) => (await _hangar.RunAsync("redis", "destroy", name, "--yes", "--force")).ShouldSucceed();
}
