using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// `kill -9` of the daemon in the middle of a backup and of a restore. The pgbackrest it ran lives on as an orphan
/// (the daemon's children are not killed with it): the next daemon must stop it, leave no lock in the repository,
/// take the backup again and finish the restored cluster. The daemon ends up running again for the other tests.
/// </summary>
public sealed partial class PostgresBackupTests
{
    [Fact]
    public async Task A_backup_and_a_restore_cut_short_by_kill_9_of_the_daemon_are_finished_by_the_next_one_leaving_no_lock()
    {
        // Enough data that the full backup and the restore each last a moment.
        await Pg.ExecAsync(cluster.Url, "CREATE TABLE bulk AS SELECT g AS id, repeat(md5(g::text), 10) AS filler FROM generate_series(1, 100000) g");
        var fullsBefore = Fulls(await cluster.ListAsync());

        var backup = Hangar.RunAsync("postgres", "backup", "create", "-a", BackupCluster.Name, "--type", "full");
        var backupOrphans = await Poll.UntilAsync(() => Task.FromResult(PgBackRestPids("backup")), p => p.Count > 0, TimeSpan.FromSeconds(60), "pgbackrest backup to start");
        await Hangar.KillAsync();
        Assert.NotEqual(0, (await backup).ExitCode);

        await Hangar.StartAsync();
        var list = await Poll.UntilAsync(cluster.ListAsync, l => Fulls(l) > fullsBefore && IsNull(l, "running"), TimeSpan.FromSeconds(120), "the interrupted full backup taken again");
        Assert.All(backupOrphans, pid => Assert.False(Directory.Exists($"/proc/{pid}") && IsPgBackRest(pid), $"pgbackrest {pid} of the killed daemon still runs"));
        Assert.Equal("full", list.GetProperty("backups").EnumerateArray().Last().GetProperty("type").GetString());

        // No lock left in the repository: another backup and pgBackRest's own check go through at once.
        (await Hangar.RunAsync("postgres", "backup", "create", "-a", BackupCluster.Name, "--type", "incr")).ShouldSucceed();
        (await BackupRepositoryObjects.CheckAsync(Hangar, BackupCluster.Name)).ShouldSucceed();

        // A restore killed while pgBackRest restores or PostgreSQL replays: the next daemon finishes the new cluster.
        var restore = Hangar.RunAsync("postgres", "backup", "restore", "-a", BackupCluster.Name, "after-kill");
        await Poll.UntilAsync(() => PgBackRestPids("restore").Count > 0 || RecoveringPostmaster(), TimeSpan.FromSeconds(90), "the restore to begin");
        var restoreOrphans = PgBackRestPids("restore");
        await Hangar.KillAsync();
        Assert.NotEqual(0, (await restore).ExitCode);

        await Hangar.StartAsync();
        try
        {
            await Poll.UntilAsync(
                () => Hangar.JsonAsync("postgres", "list"),
                l => l.EnumerateArray().Any(c => c.GetProperty("name").GetString() == "after-kill" && c.GetProperty("state").GetString() == "running"),
                TimeSpan.FromSeconds(120),
                "the interrupted restore to finish");
            Assert.All(restoreOrphans, pid => Assert.False(Directory.Exists($"/proc/{pid}") && IsPgBackRest(pid), $"pgbackrest {pid} of the killed daemon still runs"));
            Assert.Empty(Directory.EnumerateDirectories(Hangar.DataDir, "seed.tmp", SearchOption.AllDirectories));
            (await Hangar.RunAsync("apps", "create", "kill-reader")).ShouldSucceed();
            // The restore's own output (its credentials) went with the killed daemon: a superuser attachment, pointed at the table's database.
            (await Hangar.RunAsync("postgres", "attach", "after-kill", "--app", "kill-reader", "--superuser")).ShouldSucceed();
            var url = new UriBuilder(await Pg.DatabaseUrlAsync(Hangar, "kill-reader")) { Path = "/postgres" }.Uri.ToString();
            Assert.Equal(100000L, Convert.ToInt64(await Pg.ScalarAsync(url, "SELECT count(*) FROM bulk")));
        }
        finally
        {
            await Hangar.RunAsync("postgres", "destroy", "after-kill", "--yes", "--purge-backups");
            await Hangar.RunAsync("apps", "destroy", "kill-reader", "--yes");
        }
    }

    private static int Fulls(JsonElement list) => list.GetProperty("backups").EnumerateArray().Count(b => b.GetProperty("type").GetString() == "full");

    private static bool IsNull(JsonElement element, string property) => !element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null;

    /// <summary>pgbackrest processes of this test's daemon running <paramref name="command"/> (not archive-push/-get).</summary>
    private List<int> PgBackRestPids(string command) =>
        [.. Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)).Select(int.Parse!)
            .Where(pid => CommandLine(pid) is [var exe, .., var last] args && exe.EndsWith("pgbackrest", StringComparison.Ordinal) && last == command
                && args.Any(a => a.StartsWith("--config=" + Hangar.DataDir, StringComparison.Ordinal)))];

    private static bool IsPgBackRest(int pid) => CommandLine(pid) is [var exe, ..] && exe.EndsWith("pgbackrest", StringComparison.Ordinal);

    /// <summary>The restore's private PostgreSQL (its config sits in the new node's pgbackrest directory while it replays).</summary>
    private bool RecoveringPostmaster()
    {
        try
        {
            return Directory.EnumerateFiles(Hangar.DataDir, "recovery-postgresql.conf", SearchOption.AllDirectories).Any();
        }
        catch (IOException)
        {
            // A directory removed while it was walked.
            return false;
        }
    }

    private static string[] CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
