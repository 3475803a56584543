using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Daemon.Sqlite;
using Xunit;

namespace Hangar.Daemon.Tests.Sqlite;

public sealed class LitestreamConfigTests
{
    [Theory]
    [InlineData("1s", 1000)]
    [InlineData("500ms", 500)]
    [InlineData("72h", 259_200_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1.5s", 1500)]
    [InlineData("894µs", 0.894)]
    public void Go_durations_are_read_as_litestream_reads_them(string value, double milliseconds) =>
        Assert.Equal(milliseconds, LitestreamConfig.ParseDuration(value)!.Value.TotalMilliseconds, 3);

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1d")]
    [InlineData("-1s")]
    [InlineData("1s\nsecret: x")]
    [InlineData(" 1s")]
    public void Anything_else_is_not_a_duration(string value) => Assert.Null(LitestreamConfig.ParseDuration(value));

    [Fact]
    public void Every_bad_duration_is_named_at_once_and_snapshots_may_not_outlive_the_retention()
    {
        var problems = new ProblemList();
        LitestreamConfig.CheckDurations("10ms", "2h", "3h", problems);
        var error = Assert.Throws<HangarException>(problems.ThrowIfAny).Message;
        Assert.Contains("invalid --sync-interval '10ms': a duration from 100ms to 1h", error, StringComparison.Ordinal);
        Assert.Contains("invalid --snapshot-interval '3h': must not be longer than --retention '2h'", error, StringComparison.Ordinal);

        var fine = new ProblemList();
        LitestreamConfig.CheckDurations("1s", "72h", "24h", fine);
        fine.ThrowIfAny();
    }

    [Fact]
    public void The_config_has_the_seed_shape_and_no_credentials()
    {
        var db = new SqliteRecord
        {
            Name = "app",
            App = "web",
            Path = "/data/my \"app\".db",
            Bucket = "web-sqlite",
            BucketCreated = true,
            AccessKeyId = "HKKEYID",
            SecretCiphertext = "ciphertext",
            SyncInterval = "1s",
            Retention = "72h",
            SnapshotInterval = "24h",
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        var yaml = LitestreamConfig.Render([db], "http://127.0.0.1:4281", "auto");
        Assert.Equal("""
            dbs:
            - path: "/data/my \"app\".db"
              replicas:
              - url: s3://web-sqlite/app
                endpoint: http://127.0.0.1:4281
                region: auto
                force-path-style: true
                retention: 72h
                sync-interval: 1s
                snapshot-interval: 24h

            """.Replace("\r\n", "\n", StringComparison.Ordinal), yaml);
        Assert.DoesNotContain("HKKEYID", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Litestream_tables_are_read_by_column_name()
    {
        var table = LitestreamTable.Parse("""
            name  generation        lag     start                 end
            s3    ce3d39057b616beb  -894ms  2026-12-02T05:42:26Z  2026-12-02T05:42:29Z
            """);
        var row = Assert.Single(table.Rows());
        Assert.Equal("ce3d39057b616beb", row["generation"]);
        Assert.Equal("-894ms", row["lag"]);
        Assert.Equal(["2026-12-02T05:42:29Z"], table.Column("end"));
    }

    [Fact]
    public void Litestream_errors_are_cut_to_their_text()
    {
        Assert.Equal("no matching backups found", Litestream.LastError("time=2026-12-02T05:42:35.003Z level=ERROR msg=\"failed to run\" error=\"no matching backups found\"\n"));
        Assert.Equal("no output", Litestream.LastError("\n"));
    }
}
