using Hangar.Daemon.Logs;
using Xunit;

namespace Hangar.Daemon.Tests.Logs;

public sealed class LogMergeTests
{
    [Theory]
    [InlineData("2026-12-02T03:46:18.023Z info hangar: ready", "2026-12-02T03:46:18.0230000Z")]
    [InlineData("{\"level\":\"warn\",\"ts\":\"2026-12-02T03:46:18.023456Z\",\"msg\":\"x\"}", "2026-12-02T03:46:18.0234560Z")]
    [InlineData("2026-12-02 03:47:12.437 UTC [4764] LOG:  checkpoint starting", "2026-12-02T03:47:12.4370000Z")]
    [InlineData("2026-12-02 05:47:12.437 +02:00 LOG: x", "2026-12-02T03:47:12.4370000Z")]
    public void Zoned_stamps_are_read_as_utc(string line, string expected) =>
        Assert.Equal(DateTime.Parse(expected, null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal), LogMerge.TryParseTime(line));

    [Fact]
    public void Unzoned_stamps_are_local_time()
    {
        var local = new DateTime(2026, 12, 2, 3, 47, 10, 464, DateTimeKind.Local).ToUniversalTime();
        Assert.Equal(local, LogMerge.TryParseTime("2026-12-02 03:47:10,464 INFO: no action. I am (db-1), the leader with the lock"));
        Assert.Equal(local, LogMerge.TryParseTime("4242:M 02 Dec 2026 03:47:10.464 * Ready to accept connections tcp"));
    }

    [Theory]
    [InlineData("info: Hangar.ObjectStore.Hosting.S3Server[3000] S3 server listening")]
    [InlineData("   at System.Threading.Tasks.Task.Wait()")]
    [InlineData("2026-13-45 99:00:00 not a time")]
    [InlineData("")]
    public void Lines_without_a_stamp_have_none(string line) => Assert.Null(LogMerge.TryParseTime(line));

    [Fact]
    public void The_last_lines_of_all_sources_in_time_order_with_their_process()
    {
        var merged = LogMerge.Last(
            [
                ("pg-db-1", ["2026-12-02 03:00:01.000 UTC LOG: a1", "2026-12-02 03:00:04.000 UTC LOG: a4", "2026-12-02 03:00:06.000 UTC LOG: a6"]),
                ("proxy-db", ["2026-12-02T03:00:02.000Z info: p2", "   continuation of p2", "2026-12-02T03:00:05.000Z info: p5"]),
                ("pg-db-2", ["2026-12-02 03:00:03.000 UTC LOG: b3", "2026-12-02 03:00:07.000 UTC LOG: b7"]),
            ],
            5);
        Assert.Equal(
            [
                "[pg-db-2] 2026-12-02 03:00:03.000 UTC LOG: b3",
                "[pg-db-1] 2026-12-02 03:00:04.000 UTC LOG: a4",
                "[proxy-db] 2026-12-02T03:00:05.000Z info: p5",
                "[pg-db-1] 2026-12-02 03:00:06.000 UTC LOG: a6",
                "[pg-db-2] 2026-12-02 03:00:07.000 UTC LOG: b7",
            ],
            merged);
    }

    [Fact]
    public void A_line_without_a_stamp_stays_after_the_line_before_it()
    {
        var merged = LogMerge.Last(
            [
                ("a", ["2026-12-02T03:00:02.000Z first", "   at Trace.Line()", "2026-12-02T03:00:09.000Z last"]),
                ("b", ["2026-12-02T03:00:03.000Z middle"]),
            ],
            10);
        Assert.Equal(["[a] 2026-12-02T03:00:02.000Z first", "[a]    at Trace.Line()", "[b] 2026-12-02T03:00:03.000Z middle", "[a] 2026-12-02T03:00:09.000Z last"], merged);
    }

    [Fact]
    public void Fewer_lines_than_asked_are_all_shown() =>
        Assert.Equal(2, LogMerge.Last([("a", ["x", "y"]), ("b", [])], 20).Count);
}
