using Hangar.Core.Resources;
using Hangar.Redis.Config;

namespace Hangar.Redis.Tests.Config;

public sealed class RedisConfigFileTests
{
    private static readonly RedisSettings Settings = new()
    {
        ConfigPath = "/data/redis/cache/redis.conf",
        BindAddress = "127.0.0.1",
        Port = 15001,
        DataDirectory = "/data/volumes/vol_1",
        AclFile = "/data/redis/cache/users.acl",
        MaxMemoryMb = 64,
        Eviction = false,
        Persistence = RedisPersistence.Aof,
    };

    [Fact]
    public void Aof_is_append_only_with_fsync_every_second_and_no_rdb_schedule()
    {
        var lines = Lines(RedisConfigFile.Render(Settings));

        Assert.Contains("appendonly yes", lines);
        Assert.Contains("appendfsync everysec", lines);
        Assert.Contains("save \"\"", lines);
        Assert.Contains("maxmemory 64mb", lines);
        Assert.Contains("maxmemory-policy noeviction", lines);
        Assert.Contains("bind 127.0.0.1", lines);
        Assert.Contains("port 15001", lines);
        Assert.Contains("dir \"/data/volumes/vol_1\"", lines);
        Assert.Contains("aclfile \"/data/redis/cache/users.acl\"", lines);
    }

    [Fact]
    public void Rdb_snapshots_on_a_schedule_and_none_keeps_nothing()
    {
        var rdb = Lines(RedisConfigFile.Render(Settings with { Persistence = RedisPersistence.Rdb }));
        var none = Lines(RedisConfigFile.Render(Settings with { Persistence = RedisPersistence.None }));

        Assert.Contains("appendonly no", rdb);
        Assert.Contains("save " + RedisConfigFile.RdbSchedule, rdb);
        Assert.Contains("appendonly no", none);
        Assert.Contains("save \"\"", none);
    }

    [Fact]
    public void Eviction_enabled_is_allkeys_lru_live_and_on_disk()
    {
        var evicting = Settings with { Eviction = true, MaxMemoryMb = 128 };

        Assert.Contains("maxmemory-policy allkeys-lru", Lines(RedisConfigFile.Render(evicting)));
        Assert.Equal(["maxmemory", "128mb", "maxmemory-policy", "allkeys-lru"], RedisConfigFile.LiveSettings(evicting));
    }

    [Fact]
    public void Paths_are_quoted_with_escapes() =>
        Assert.Equal("\"/a b/\\\"q\\\"\\\\\"", RedisConfigFile.Quote("/a b/\"q\"\\"));

    private static string[] Lines(string conf) => conf.Split('\n');
}
