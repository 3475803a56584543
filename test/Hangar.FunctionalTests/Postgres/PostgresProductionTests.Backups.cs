using System.Globalization;
using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// Backups across a failover (production clusters have them by default): the new leader archives on its new timeline
/// into the same repository, so `backup list`'s WAL range goes on without a gap and a restore to a time after the
/// failover replays across the timeline switch.
/// </summary>
public sealed partial class PostgresProductionTests
{
    [Fact]
    public async Task After_a_failover_the_new_leader_archives_on_and_a_restore_to_a_later_time_holds_the_rows_of_both_leaders()
    {
        await cluster.HealthyAsync(3, TimeSpan.FromSeconds(90));
        var before = await Poll.UntilAsync(BackupListAsync, l => l.GetProperty("backups").GetArrayLength() > 0, TimeSpan.FromMinutes(3), "the first full backup of prod");
        await Pg.ExecAsync(cluster.Url, "CREATE TABLE across (id int PRIMARY KEY, leader text NOT NULL DEFAULT inet_server_port()::text)");
        await Pg.ExecAsync(cluster.Url, "INSERT INTO across (id) VALUES (1)");

        var failover = await Hangar.JsonAsync("postgres", "failover", "-a", ProductionCluster.Name);
        await cluster.HealthyAsync(3, TimeSpan.FromSeconds(60));
        await Pg.ExecAsync(cluster.Url, "INSERT INTO across (id) VALUES (2)");
        var target = (string)(await Pg.ScalarAsync(cluster.Url, "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"))!;
        await Pg.ExecAsync(cluster.Url, "INSERT INTO across (id) VALUES (3)");

        // The new leader pushes its timeline's segments: the archive's end moves onto the new timeline, past the target.
        var after = await Poll.UntilAsync(
            BackupListAsync,
            l => Timeline(l.GetProperty("archiveMax").GetString()) > Timeline(before.GetProperty("archiveMax").GetString())
                && l.TryGetProperty("latestRestorableTime", out var latest) && latest.GetDateTimeOffset() >= DateTimeOffset.Parse(target, CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(60),
            "archiving from the new leader " + failover.GetProperty("newLeader").GetString());
        Assert.Equal(before.GetProperty("archiveMin").GetString(), after.GetProperty("archiveMin").GetString());
        (await BackupRepositoryObjects.CheckAsync(Hangar, ProductionCluster.Name)).ShouldSucceed();

        var restored = await Hangar.JsonAsync("postgres", "backup", "restore", "-a", ProductionCluster.Name, "across", "--restore-target-time", target);
        try
        {
            var database = new NpgsqlConnectionStringBuilder(Pg.Npgsql(cluster.Url)).Database!;
            var url = new UriBuilder(restored.GetProperty("connectionString").GetString()!) { Path = "/" + database }.Uri.ToString();
            var rows = new List<int>();
            await using var connection = new NpgsqlConnection(Pg.Npgsql(url));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT id FROM across ORDER BY id", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetInt32(0));
            }

            Assert.Equal([1, 2], rows);
        }
        finally
        {
            (await Hangar.RunAsync("postgres", "destroy", "across", "--yes")).ShouldSucceed();
        }
    }

    private Task<JsonElement> BackupListAsync() => BackupCluster.ListAsync(Hangar, ProductionCluster.Name);

    /// <summary>The timeline of a WAL segment name (its first 8 hex digits).</summary>
    private static int Timeline(string? segment) => segment is { Length: 24 } ? int.Parse(segment[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture) : 0;
}
