using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// `postgres destroy` keeps the cluster's backups for its retention: they list and restore by the old name, and a new
/// cluster of the same name gets a repository of its own (writing into the kept one would fail its stanza-create,
/// the new database having another system identifier). --purge-backups removes them at once.
/// </summary>
public sealed partial class PostgresBackupTests
{
    [Fact]
    public async Task A_destroyed_cluster_keeps_its_backups_restores_from_them_and_its_name_can_be_taken_again()
    {
        var created = await Hangar.JsonAsync("postgres", "create", "--name", "gone", "--enable-backups");
        var url = created.GetProperty("connectionString").GetString()!;
        await Pg.ExecAsync(url, "CREATE TABLE kept AS SELECT generate_series(1, 42) AS id");
        await Poll.UntilAsync(async () => (await ListAsync("gone")).GetProperty("backups").GetArrayLength() > 0, TimeSpan.FromMinutes(3), "the first full backup of gone");
        // The rows are archived before the cluster goes: its restorable window ends with its archive.
        var segment = (string)(await Pg.ScalarAsync(url, "SELECT pg_walfile_name(pg_switch_wal())"))!;
        await Poll.UntilAsync(async () => string.CompareOrdinal((string?)await Pg.ScalarAsync(url, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver"), segment) >= 0, TimeSpan.FromSeconds(60), "the rows archived");
        (await Hangar.RunAsync("postgres", "destroy", "gone", "--yes")).ShouldSucceed();

        var kept = await Hangar.JsonAsync("postgres", "backup", "list", "-a", "gone", "--deleted");
        Assert.True(kept.GetProperty("keptUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(6.9), kept.ToString());
        Assert.False(kept.GetProperty("enabled").GetBoolean());
        Assert.True(kept.GetProperty("backups").GetArrayLength() > 0);

        // The name is free again, and the new cluster's backups are its own.
        var again = await Hangar.JsonAsync("postgres", "create", "--name", "gone", "--enable-backups");
        try
        {
            var list = await Poll.UntilAsync(() => ListAsync("gone"), l => l.GetProperty("backups").GetArrayLength() > 0, TimeSpan.FromMinutes(3), "the first full backup of the new gone");
            Assert.False(list.TryGetProperty("deletedAt", out _));
            Assert.DoesNotContain(list.GetProperty("backups").EnumerateArray(), b => kept.GetProperty("backups").EnumerateArray().Any(k => k.GetProperty("id").GetString() == b.GetProperty("id").GetString()));
            Assert.Equal(0L, Convert.ToInt64(await Pg.ScalarAsync(again.GetProperty("connectionString").GetString()!, "SELECT count(*) FROM pg_tables WHERE tablename = 'kept'")));

            // The destroyed one restores by its name with --deleted (the live namesake is not what is restored).
            var restored = await Hangar.JsonAsync("postgres", "backup", "restore", "-a", "gone", "gone-back", "--deleted");
            Assert.Equal(42L, Convert.ToInt64(await Pg.ScalarAsync(restored.GetProperty("connectionString").GetString()!, "SELECT count(*) FROM kept")));

            (await Hangar.RunAsync("postgres", "backup", "restore", "-a", "never-made", "nothing", "--deleted")).ShouldFailWith("no destroyed cluster 'never-made' has kept backups");
            (await Hangar.RunAsync("postgres", "backup", "list", "-a", "never-made", "--deleted")).ShouldFailWith("no destroyed cluster 'never-made' has kept backups");
            Assert.DoesNotContain("nothing", (await Hangar.RunAsync("postgres", "list")).ShouldSucceed().Stdout, StringComparison.Ordinal);

            // --purge-backups: the new one's backups go at once; the first one's are still kept.
            var config = Directory.EnumerateFiles(Path.Combine(Hangar.DataDir, "volumes"), "pgbackrest.conf", SearchOption.AllDirectories).Single(f => File.ReadAllText(f).Contains("repo1-s3-bucket=hangar-pg1-gone\n", StringComparison.Ordinal));
            using var purged = BackupRepositoryObjects.OpenConfig(Hangar, config);
            Assert.True(await purged.ExistsAsync());
            (await Hangar.RunAsync("postgres", "destroy", "gone", "--yes", "--purge-backups")).ShouldSucceed();
            Assert.Equal(kept.GetProperty("deletedAt").GetString(), (await Hangar.JsonAsync("postgres", "backup", "list", "-a", "gone", "--deleted")).GetProperty("deletedAt").GetString());
            await Poll.UntilAsync(async () => !await purged.ExistsAsync(), TimeSpan.FromSeconds(60), "the purged repository to go");
        }
        finally
        {
            await Hangar.RunAsync("postgres", "destroy", "gone-back", "--yes");
            await Hangar.RunAsync("postgres", "destroy", "gone", "--yes", "--purge-backups");
        }
    }

    private Task<JsonElement> ListAsync(string name) => BackupCluster.ListAsync(Hangar, name);
}
