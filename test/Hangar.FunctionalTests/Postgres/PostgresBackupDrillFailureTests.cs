using Hangar.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// A drill must fail when the repository cannot bring back the latest point: recovery that meets a missing WAL
/// segment stops there and promotes, which looks like a good restore of an older state unless it is checked.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBackupDrillFailureTests(BackupCluster cluster, ITestOutputHelper output) : IClassFixture<BackupCluster>
{
    private HangarDaemon Hangar => cluster.Hangar;

    [Fact]
    public async Task A_drill_whose_restore_meets_a_deleted_wal_segment_is_reported_failed_in_list_and_checks()
    {
        var url = cluster.Url;

        // Three segments after the first full backup, each closed by a switch; the middle one is then deleted.
        await Pg.ExecAsync(url, "CREATE TABLE gap (id int PRIMARY KEY)");
        var segments = new List<string>();
        for (var batch = 0; batch < 3; batch++)
        {
            await Pg.ExecAsync(url, $"INSERT INTO gap SELECT g FROM generate_series({(batch * 100) + 1}, {(batch + 1) * 100}) g");
            segments.Add((string)(await Pg.ScalarAsync(url, "SELECT pg_walfile_name(pg_current_wal_lsn())"))!);
            await Pg.ExecAsync(url, "SELECT pg_switch_wal()");
        }

        Assert.Equal(3, segments.Distinct().Count());
        await Poll.UntilAsync(async () => string.CompareOrdinal((string?)await Pg.ScalarAsync(url, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver"), segments[2]) >= 0,
            TimeSpan.FromSeconds(60), "the three segments archived");

        using var repository = BackupRepositoryObjects.Open(Hangar, BackupCluster.Name);
        var key = await Poll.UntilAsync(() => repository.FindSegmentAsync(segments[1]), k => k is not null, TimeSpan.FromSeconds(30), $"segment {segments[1]} in the repository");
        await repository.DeleteAsync(key!);
        Assert.Null(await repository.FindSegmentAsync(segments[1]));

        var drill = await Hangar.RunAsync("postgres", "backup", "drill", "-a", BackupCluster.Name);
        output.WriteLine(drill.Stdout + drill.Stderr);
        Assert.NotEqual(0, drill.ExitCode);
        Assert.Contains("Drill FAILED for src", drill.Stdout, StringComparison.Ordinal);
        Assert.Contains(segments[1], drill.Stdout, StringComparison.Ordinal);

        var last = (await cluster.ListAsync()).GetProperty("lastDrill");
        Assert.False(last.GetProperty("passed").GetBoolean());
        Assert.Contains(segments[1], last.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var check = (await Hangar.JsonAsync("checks", "list", "-a", BackupCluster.Name)).EnumerateArray().Single(c => c.GetProperty("name").GetString() == "backup");
        Assert.Equal("warning", check.GetProperty("status").GetString());
        Assert.Contains("the last restore drill failed", check.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("src-drill", (await Hangar.RunAsync("postgres", "list")).ShouldSucceed().Stdout, StringComparison.Ordinal);
    }
}
