using Hangar.Postgres.Backups;
using Xunit;

namespace Hangar.Postgres.Tests.Backups;

public sealed class PgBackRestInfoTests
{
    // Shaped as pgBackRest 2.45 prints it (trimmed of fields Hangar does not read).
    public const string Json = """
        [{"archive":[{"database":{"id":1,"repo-key":1},"id":"15-1","max":"000000010000000000000009","min":"000000010000000000000003"}],
          "backup":[
            {"archive":{"start":"000000010000000000000007","stop":"000000010000000000000007"},"error":false,
             "info":{"delta":1000,"repository":{"delta":300,"size":300},"size":1000},"label":"20261202-060000F_20261202-070000D",
             "lsn":{"start":"0/7000028","stop":"0/7000100"},"timestamp":{"start":1796194800,"stop":1796194803},"type":"diff"},
            {"archive":{"start":"000000010000000000000003","stop":"000000010000000000000003"},"error":false,
             "info":{"delta":30000000,"repository":{"delta":4000000,"size":4000000},"size":30000000},"label":"20261202-060000F",
             "lsn":{"start":"0/3000028","stop":"0/3000138"},"timestamp":{"start":1796191200,"stop":1796191210},"type":"full"}],
          "name":"db","status":{"code":0,"lock":{"backup":{"held":false}},"message":"ok"}}]
        """;

    [Fact]
    public void Parse_reads_sets_oldest_first_with_sizes_lsns_and_the_archive_range()
    {
        var info = PgBackRestInfo.Parse(Json, "db");

        Assert.Equal(0, info.StatusCode);
        Assert.Equal(["20261202-060000F", "20261202-060000F_20261202-070000D"], info.Backups.Select(b => b.Label));
        var full = info.Backups[0];
        Assert.Equal("full", full.Type);
        Assert.Equal(30000000, full.Size);
        Assert.Equal(4000000, full.StoredSize);
        Assert.Equal(Lsn.Parse("0/3000138"), full.StopLsn);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796191210), full.Stop);
        Assert.Equal("000000010000000000000009", info.ArchiveMax);
    }

    [Fact]
    public void Parse_tells_each_sets_repository_and_takes_the_archive_range_of_the_first()
    {
        const string twoRepos = """
            [{"archive":[{"database":{"id":1,"repo-key":1},"id":"15-1","max":"000000010000000000000009","min":"000000010000000000000003"},
                         {"database":{"id":1,"repo-key":2},"id":"15-1","max":"00000001000000000000000A","min":"000000010000000000000002"}],
              "backup":[
                {"archive":{"start":"000000010000000000000003","stop":"000000010000000000000003"},"database":{"id":1,"repo-key":1},"error":false,
                 "info":{"repository":{"delta":4},"size":30},"label":"20261202-060000F",
                 "lsn":{"start":"0/3000028","stop":"0/3000138"},"timestamp":{"start":1796191200,"stop":1796191210},"type":"full"},
                {"archive":{"start":"000000010000000000000004","stop":"000000010000000000000004"},"database":{"id":1,"repo-key":2},"error":false,
                 "info":{"repository":{"delta":4},"size":30},"label":"20261202-060020F",
                 "lsn":{"start":"0/4000028","stop":"0/4000138"},"timestamp":{"start":1796191220,"stop":1796191230},"type":"full"}],
              "name":"db","status":{"code":0,"lock":{"backup":{"held":false}},"message":"ok"}}]
            """;
        var info = PgBackRestInfo.Parse(twoRepos, "db");

        Assert.Equal([1, 2], info.Backups.Select(b => b.Repo));
        Assert.Equal("000000010000000000000003", info.ArchiveMin);
        Assert.Equal("000000010000000000000009", info.ArchiveMax);
        Assert.Equal(1, PgBackRestInfo.Parse(Json, "db").Backups[0].Repo);
    }

    [Fact]
    public void Parse_of_an_unknown_stanza_or_garbage_is_a_clear_error()
    {
        Assert.Contains("no stanza 'other'", Assert.Throws<Core.Errors.HangarException>(() => PgBackRestInfo.Parse(Json, "other")).Message, StringComparison.Ordinal);
        Assert.Throws<Core.Errors.HangarException>(() => PgBackRestInfo.Parse("not json", "db"));
    }

    [Fact]
    public void Lsn_parses_orders_and_knows_where_a_segment_ends()
    {
        Assert.True(Lsn.Parse("0/3000138") < Lsn.Parse("1/0"));
        Assert.Equal("16/B374D848", Lsn.Parse("16/b374d848").ToString());
        Assert.False(Lsn.TryParse("3000138", out _));
        Assert.False(Lsn.TryParse("0/xyz", out _));
        Assert.Equal(Lsn.Parse("0/A000000"), Lsn.EndOfSegment("000000010000000000000009"));
        Assert.Equal(Lsn.Parse("1/1000000"), Lsn.EndOfSegment("000000020000000100000000"));
    }
}
