using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// Backups and point-in-time recovery with real pgBackRest, PostgreSQL, Patroni, etcd and Hangar's S3 server over
/// HTTPS: each restored cluster must hold exactly the rows committed up to its target.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class PostgresBackupTests(BackupCluster cluster) : IClassFixture<BackupCluster>
{
    private HangarDaemon Hangar => cluster.Hangar;

    [Fact]
    public async Task Restores_to_a_time_a_name_and_an_lsn_hold_exactly_the_rows_committed_up_to_each_target()
    {
        var url = cluster.Url;
        await Pg.ExecAsync(url, "CREATE TABLE ledger (id int PRIMARY KEY, committed_at timestamptz NOT NULL DEFAULT clock_timestamp())");
        await InsertAsync(url, 1, 5);
        var afterA = (string)(await Pg.ScalarAsync(url, "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"))!;
        await InsertAsync(url, 6, 10);
        var mark = await Hangar.JsonAsync("postgres", "backup", "mark", "-a", BackupCluster.Name, "before migration 42");
        Assert.Equal("before migration 42", mark.GetProperty("name").GetString());
        await InsertAsync(url, 11, 15);
        var afterC = (string)(await Pg.ScalarAsync(url, "SELECT pg_current_wal_lsn()::text"))!;
        await InsertAsync(url, 16, 20);
        await Pg.ExecAsync(url, "DROP TABLE ledger");

        var list = await cluster.ListAsync();
        Assert.True(list.GetProperty("enabled").GetBoolean());
        var backup = list.GetProperty("backups")[0];
        Assert.Equal("full", backup.GetProperty("type").GetString());
        Assert.True(backup.GetProperty("size").GetInt64() > 0 && backup.GetProperty("storedSize").GetInt64() > 0);
        Assert.False(string.IsNullOrEmpty(list.GetProperty("earliestRestorableTime").GetString()));

        Assert.Equal(Enumerable.Range(1, 5), await RestoredIdsAsync("r-time", "--restore-target-time", afterA));
        Assert.Equal(Enumerable.Range(1, 10), await RestoredIdsAsync("r-name", "--restore-target-name", "before migration 42"));
        Assert.Equal(Enumerable.Range(1, 15), await RestoredIdsAsync("r-lsn", "--restore-target-lsn", afterC));
    }

    [Fact]
    public async Task Bad_restore_input_is_one_line_and_creates_nothing()
    {
        var backupId = (await cluster.ListAsync()).GetProperty("backups")[0].GetProperty("id").GetString()!;
        (await Restore("bad1", "--backup-id", "20000101-000000F")).ShouldFailWith("unknown --backup-id '20000101-000000F'");
        (await Restore("bad2", "--backup-id", backupId, "--restore-target-time", "2026-01-01T00:00:00Z")).ShouldFailWith("--backup-id and --restore-target-time cannot go together");
        (await Restore("bad3", "--restore-target-time", "2000-01-01T00:00:00Z")).ShouldFailWith("is outside the restorable window of cluster 'src': ");
        (await Restore("bad4", "--restore-target-time", "yesterday")).ShouldFailWith("invalid --restore-target-time 'yesterday'");
        (await Restore("bad5", "--restore-target-name", "never marked")).ShouldFailWith("'never marked' was never marked on cluster 'src'");
        (await Restore("bad6", "--restore-target-lsn", "FFFF/0")).ShouldFailWith("--restore-target-lsn FFFF/0 is outside the restorable window");
        (await Restore(BackupCluster.Name)).ShouldFailWith("postgres cluster 'src' already exists");
        (await Hangar.RunAsync("postgres", "backup", "enable", "-a", BackupCluster.Name)).ShouldFailWith("backups are already enabled on cluster 'src'");
        (await Hangar.RunAsync("postgres", "backup", "create", "-a", BackupCluster.Name, "--type", "weekly")).ShouldFailWith("invalid --type 'weekly': full, diff or incr");
        var clusters = (await Hangar.RunAsync("postgres", "list", "--json")).ShouldSucceed().Stdout;
        Assert.DoesNotContain("bad", clusters, StringComparison.Ordinal);

        // The repository is a system bucket: not listed, not destroyable, its name not takeable.
        var bucket = "hangar-pg-" + BackupCluster.Name;
        Assert.DoesNotContain(bucket, (await Hangar.RunAsync("storage", "list")).ShouldSucceed().Stdout, StringComparison.Ordinal);
        (await Hangar.RunAsync("storage", "destroy", bucket, "--yes", "--force")).ShouldFailWith("is Hangar's own");
        (await Hangar.RunAsync("storage", "create", "--name", "hangar-pg-other")).ShouldFailWith("are Hangar's own");

        var check = (await Hangar.JsonAsync("checks", "list", "-a", BackupCluster.Name)).EnumerateArray().Single(c => c.GetProperty("name").GetString() == "backup");
        Assert.Equal("passing", check.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_drill_restores_the_latest_point_checks_it_shows_it_and_leaves_no_scratch_cluster()
    {
        await Pg.ExecAsync(cluster.Url, "CREATE TABLE IF NOT EXISTS drilled (id int); INSERT INTO drilled VALUES (1), (2), (3)");
        var output = (await Hangar.RunAsync("postgres", "backup", "drill", "-a", BackupCluster.Name)).ShouldSucceed().Stdout;
        Assert.Contains("Drill passed for src: restored in", output, StringComparison.Ordinal);
        Assert.Contains("public.drilled=3", output, StringComparison.Ordinal);

        var drill = (await cluster.ListAsync()).GetProperty("lastDrill");
        Assert.True(drill.GetProperty("passed").GetBoolean());
        Assert.True(drill.GetProperty("restoreSeconds").GetDouble() > 0);
        Assert.DoesNotContain("src-drill", (await Hangar.RunAsync("postgres", "list")).ShouldSucceed().Stdout, StringComparison.Ordinal);
        var check = (await Hangar.JsonAsync("checks", "list", "-a", BackupCluster.Name)).EnumerateArray().Single(c => c.GetProperty("name").GetString() == "backup");
        Assert.Contains("last drill passed", check.GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    private Task<CliResult> Restore(string newName, params string[] flags) =>
        Hangar.RunAsync(["postgres", "backup", "restore", "-a", BackupCluster.Name, newName, .. flags]);

    private async Task<IReadOnlyList<int>> RestoredIdsAsync(string newName, params string[] flags)
    {
        var created = JsonDocument.Parse((await Restore(newName, [.. flags, "--json"])).ShouldSucceed().Stdout).RootElement;
        var restoredUrl = created.GetProperty("connectionString").GetString()!;
        try
        {
            await using var connection = new NpgsqlConnection(Pg.Npgsql(restoredUrl));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT id FROM ledger ORDER BY id", connection);
            await using var reader = await command.ExecuteReaderAsync();
            var ids = new List<int>();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt32(0));
            }

            // A restored cluster is an ordinary one: it takes writes.
            await Pg.ExecAsync(restoredUrl, "CREATE TABLE written_after_restore (x int)");
            return ids;
        }
        finally
        {
            (await Hangar.RunAsync("postgres", "destroy", newName, "--yes")).ShouldSucceed();
        }
    }

    private static async Task InsertAsync(string url, int from, int to)
    {
        for (var id = from; id <= to; id++)
        {
            await Pg.ExecAsync(url, $"INSERT INTO ledger (id) VALUES ({id})");
        }
    }
}
