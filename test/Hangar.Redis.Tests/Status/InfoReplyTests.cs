using Hangar.Redis.Status;

namespace Hangar.Redis.Tests.Status;

public sealed class InfoReplyTests
{
    private const string Sample =
        "# Server\r\nredis_version:7.0.15\r\nuptime_in_seconds:12\r\n\r\n# Memory\r\nused_memory:1048576\r\nmaxmemory:16777216\r\n" +
        "mem_fragmentation_ratio:1.25\r\n\r\n# Keyspace\r\ndb0:keys=3,expires=1,avg_ttl=0\r\ndb5:keys=4,expires=0,avg_ttl=0\r\n";

    [Fact]
    public void Parses_fields_across_sections()
    {
        var info = InfoReply.Parse(Sample);

        Assert.Equal("7.0.15", info.Text("redis_version"));
        Assert.Equal(1048576, info.Long("used_memory"));
        Assert.Equal(1.25, info.Double("mem_fragmentation_ratio"));
        Assert.Null(info.Long("missing"));
        Assert.Null(info.Long("redis_version"));
    }

    [Fact]
    public void Keys_are_summed_over_databases()
    {
        Assert.Equal(7, InfoReply.Parse(Sample).Keys());
        Assert.Equal(0, InfoReply.Parse("# Keyspace\r\n").Keys());
    }
}
