using Hangar.Redis.Resp;
using Hangar.Redis.Status;

namespace Hangar.Redis.Tests.Real;

public sealed class RealRedisTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task App_user_round_trips_strings_integers_nulls_and_arrays()
    {
        await using var app = await redis.AppAsync();
        var key = "k-" + Guid.NewGuid().ToString("N");
        var big = new string('v', 300_000) + "€";

        Assert.Equal("OK", (await app.SendAsync(["SET", key, big], None)).Text);
        Assert.Equal(big, (await app.SendAsync(["GET", key], None)).Text);
        Assert.Equal(RespKind.Null, (await app.SendAsync(["GET", key + "-missing"], None)).Kind);
        Assert.Equal(2, (await app.SendAsync(["RPUSH", key + "-list", "a", "b"], None)).Integer);
        Assert.Equal("[a, b]", (await app.SendAsync(["LRANGE", key + "-list", "0", "-1"], None)).ToString());
    }

    [Fact]
    public async Task Without_auth_or_with_a_wrong_password_nothing_is_allowed()
    {
        await using var anonymous = await RespConnection.ConnectAsync("127.0.0.1", redis.Port, None);
        Assert.Equal("NOAUTH", (await anonymous.SendAsync(["GET", "x"], None)).ErrorCode);
        Assert.Equal("WRONGPASS", (await anonymous.SendAsync(["AUTH", "default", ""], None)).ErrorCode);
        Assert.Equal("WRONGPASS", (await anonymous.SendAsync(["AUTH", "app", "not-the-password"], None)).ErrorCode);
        await Assert.ThrowsAsync<RespProtocolException>(() => RespConnection.OpenAsync("127.0.0.1", redis.Port, "app", "wrong", None));
    }

    [Theory]
    [InlineData("FLUSHALL")]
    [InlineData("CONFIG", "GET", "maxmemory")]
    [InlineData("CONFIG", "SET", "maxmemory", "0")]
    [InlineData("DEBUG", "SLEEP", "0")]
    [InlineData("SHUTDOWN", "NOSAVE")]
    [InlineData("MODULE", "LIST")]
    [InlineData("ACL", "SETUSER", "evil", "on", ">x", "+@all")]
    [InlineData("REPLICAOF", "127.0.0.1", "1")]
    public async Task Administrative_commands_are_refused_to_the_app_user(params string[] command)
    {
        await using var app = await redis.AppAsync();

        var reply = await app.SendAsync(command, None);

        // DEBUG is also off server-wide (enable-debug-command no), which Redis checks before the ACL.
        Assert.True(reply.ErrorCode == "NOPERM" || reply.Text?.Contains("DEBUG command not allowed", StringComparison.Ordinal) == true, reply.ToString());
    }

    [Fact]
    public async Task Admin_user_reads_INFO_and_changes_config_live()
    {
        await using var admin = await redis.AdminAsync();

        var info = InfoReply.Parse((await admin.SendAsync(["INFO"], None)).Text!);
        Assert.Equal(16L * 1024 * 1024, info.Long("maxmemory"));
        Assert.StartsWith("7.", info.Text("redis_version"), StringComparison.Ordinal);
        Assert.True(info.Long("connected_clients") >= 1);

        Assert.Equal("OK", (await admin.SendAsync(["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"], None)).Text);
        Assert.Equal("[maxmemory-policy, allkeys-lru]", (await admin.SendAsync(["CONFIG", "GET", "maxmemory-policy"], None)).ToString());
        Assert.Equal("OK", (await admin.SendAsync(["CONFIG", "SET", "maxmemory-policy", "noeviction"], None)).Text);
    }

    [Fact]
    public async Task Keys_in_INFO_follow_writes()
    {
        await using var app = await redis.AppAsync();
        await using var admin = await redis.AdminAsync();
        var before = InfoReply.Parse((await admin.SendAsync(["INFO", "keyspace"], None)).Text!).Keys();

        await app.SendAsync(["SELECT", "3"], None);
        await app.SendAsync(["SET", "k-" + Guid.NewGuid().ToString("N"), "1"], None);

        Assert.Equal(before + 1, InfoReply.Parse((await admin.SendAsync(["INFO", "keyspace"], None)).Text!).Keys());
    }
}
