using System.Globalization;
using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Sqlite;

/// <summary>
/// `hangar sqlite` end to end: the shared daemon supervises real Litestream v0.3.13 replicating into its own S3 server,
/// a Python sqlite3 app writes, and restores are read back with sqlite3.
/// </summary>
[Collection(SharedDaemonCollection.Name)]
public sealed class SqliteReplicationTests(SharedDaemon fixture)
{
    private static readonly TimeSpan SyncWait = TimeSpan.FromSeconds(20);
    private readonly HangarDaemon _hangar = fixture.Daemon;

    [Fact]
    public async Task Writer_killed_and_file_deleted_restore_brings_back_every_row_committed_a_sync_interval_before_the_kill()
    {
        var dir = await WorkDirAsync("sqlkill");
        var db = Path.Combine(dir, "app.db");
        await PythonSqlite.InsertAsync(db, 0);
        var registered = await _hangar.JsonAsync("sqlite", "replicate", db, "-a", "sqlkill", "--name", "killed");
        Assert.Equal("replicating", registered.GetProperty("state").GetString());

        var log = Path.Combine(dir, "writer.log");
        using var writer = PythonSqlite.StartWriter(db, log);
        await Poll.UntilAsync(() => File.Exists(log) && File.ReadLines(log).Count() > 300, TimeSpan.FromSeconds(30), "the writer to commit 300 rows");
        var killedAt = DateTimeOffset.UtcNow;
        HangarDaemon.Signal(writer.Id, "KILL");
        await writer.WaitForExitAsync();
        foreach (var file in new[] { db, db + "-wal", db + "-shm" })
        {
            File.Delete(file);
        }

        var committed = File.ReadLines(log).Select(l => l.Split(' ')).Select(p => (Id: long.Parse(p[0], CultureInfo.InvariantCulture), At: DateTimeOffset.FromUnixTimeMilliseconds((long)(double.Parse(p[1], CultureInfo.InvariantCulture) * 1000)))).ToList();
        var restored = Path.Combine(dir, "restored.db");
        (await _hangar.RunAsync("sqlite", "restore", "killed", "--output", restored)).ShouldSucceed();
        var ids = await PythonSqlite.IdsAsync(restored);

        // Every row acknowledged more than the sync interval (1 s) before the kill is there, and nothing else: the
        // restored ids are 1..N with no hole, N at most one past the last logged commit (killed between commit and log).
        var mustHave = committed.Where(c => c.At < killedAt - TimeSpan.FromSeconds(1)).Max(c => c.Id);
        Assert.True(ids.Length >= mustHave, $"restored {ids.Length} rows, but rows up to {mustHave} were committed more than 1 s before the kill");
        Assert.Equal(Enumerable.Range(1, ids.Length).Select(i => (long)i), ids);
        Assert.True(ids.Length <= committed.Max(c => c.Id) + 1);
        Assert.Contains("exists", (await _hangar.RunAsync("sqlite", "restore", "killed", "--output", restored)).Fails(), StringComparison.Ordinal);
        (await _hangar.RunAsync("sqlite", "stop", "killed")).ShouldSucceed();
    }

    [Fact]
    public async Task Restore_to_a_time_between_two_batches_returns_exactly_the_first_and_a_killed_litestream_leaves_no_gap()
    {
        var dir = await WorkDirAsync("sqlpitr");
        var db = Path.Combine(dir, "pitr.db");
        await PythonSqlite.InsertAsync(db, 100);
        (await _hangar.RunAsync("sqlite", "replicate", db, "-a", "sqlpitr")).ShouldSucceed();
        await WaitSyncedAsync("pitr");

        // Litestream dates each WAL segment by the S3 object's time: leave room on both sides of the chosen instant.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // kill -9 of Litestream between the batches: the supervisor starts it again and it ships what it missed.
        var pid = _hangar.ChildPid("litestream-pitr") ?? throw new InvalidOperationException("no litestream-pitr pid file");
        HangarDaemon.Signal(pid, "KILL");
        await PythonSqlite.InsertAsync(db, 50);
        await Poll.UntilAsync(() => _hangar.ChildPid("litestream-pitr") is { } again && again != pid, TimeSpan.FromSeconds(20), "litestream-pitr restarted");
        await WaitSyncedAsync("pitr");

        var first = Path.Combine(dir, "first.db");
        (await _hangar.RunAsync("sqlite", "restore", "pitr", "--output", first, "--timestamp", between.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))).ShouldSucceed();
        Assert.Equal(100, (await PythonSqlite.IdsAsync(first)).Length);
        var latest = Path.Combine(dir, "latest.db");
        (await _hangar.RunAsync("sqlite", "restore", "pitr", "--output", latest)).ShouldSucceed();
        Assert.Equal(Enumerable.Range(1, 150).Select(i => (long)i), await PythonSqlite.IdsAsync(latest));

        var status = await _hangar.JsonAsync("sqlite", "status", "pitr");
        Assert.Equal("running", status.GetProperty("processState").GetString());
        Assert.True(status.GetProperty("restarts").GetInt32() >= 1);
        Assert.True(status.GetProperty("snapshots").GetInt32() >= 1);
        Assert.True(status.GetProperty("replicaBytes").GetInt64() > 0);

        var drill = await _hangar.JsonAsync("sqlite", "drill", "pitr");
        Assert.True(drill.GetProperty("passed").GetBoolean(), drill.ToString());
        Assert.Contains(drill.GetProperty("tables").EnumerateArray(), t => t.GetProperty("table").GetString() == "events" && t.GetProperty("restored").GetInt64() == 150);

        var config = (await _hangar.RunAsync("sqlite", "config", "-a", "sqlpitr")).ShouldSucceed().Stdout;
        Assert.Contains($"- path: \"{db}\"", config, StringComparison.Ordinal);
        Assert.Contains("  - url: s3://sqlpitr-sqlite/pitr", config, StringComparison.Ordinal);
        Assert.Contains("    sync-interval: 1s", config, StringComparison.Ordinal);
        Assert.Contains("    retention: 72h", config, StringComparison.Ordinal);
        Assert.Contains($"    endpoint: {_hangar.S3Url}", config, StringComparison.Ordinal);

        // The config file holds no secret and only its owner reads it; the key is in Litestream's environment alone.
        var configFile = Path.Combine(_hangar.DataDir, "sqlite", "pitr", "litestream.yml");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(configFile));
        Assert.DoesNotContain("secret", File.ReadAllText(configFile), StringComparison.OrdinalIgnoreCase);

        Assert.Contains("hangar sqlite stop pitr", (await _hangar.RunAsync("run", "-a", "sqlpitr", "--sqlite", "pitr", "--", "true")).Fails(), StringComparison.Ordinal);
        (await _hangar.RunAsync("sqlite", "stop", "pitr")).ShouldSucceed();
        Assert.Null(_hangar.ChildPid("litestream-pitr"));
        var afterStop = Path.Combine(dir, "after-stop.db");
        (await _hangar.RunAsync("sqlite", "restore", "pitr", "--output", afterStop)).ShouldSucceed();
        Assert.Equal(150, (await PythonSqlite.IdsAsync(afterStop)).Length);

        // Fly's container pattern: the app runs under `litestream replicate -exec`; a lost file is restored before it
        // starts. Litestream logs to stdout too: the count is the one line of digits. The command outlives a sync
        // interval, as an app does: in this test Litestream 0.3.13 did not ship a write made just before the command exited.
        const string count = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('INSERT INTO events (body) VALUES (\\'run\\')'); c.commit(); print(c.execute('SELECT count(*) FROM events').fetchone()[0], flush=True); import time; time.sleep(2.5)";
        Assert.Equal("151", (await _hangar.RunAsync("run", "-a", "sqlpitr", "--sqlite", "pitr", "--", "python3", "-c", count, db)).ShouldSucceed().Stdout.Split('\n').Select(l => l.Trim()).Last(l => l.Length > 0 && l.All(char.IsAsciiDigit)));
        foreach (var file in new[] { db, db + "-wal", db + "-shm" })
        {
            File.Delete(file);
        }

        Assert.Equal("152", (await _hangar.RunAsync("run", "-a", "sqlpitr", "--sqlite", "pitr", "--", "python3", "-c", count, db)).ShouldSucceed().Stdout.Split('\n').Select(l => l.Trim()).Last(l => l.Length > 0 && l.All(char.IsAsciiDigit)));
    }

    [Fact]
    public async Task A_drill_against_a_replica_missing_a_wal_segment_fails_and_says_why()
    {
        var dir = await WorkDirAsync("sqldrill");
        (await _hangar.RunAsync("storage", "create", "--name", "sqldrill-files", "-a", "sqldrill")).ShouldSucceed();
        var db = Path.Combine(dir, "drill.db");
        await PythonSqlite.InsertAsync(db, 10);

        // No --bucket: the app's one bucket is used, with a key of the registration's own.
        var registered = await _hangar.JsonAsync("sqlite", "replicate", db, "-a", "sqldrill");
        Assert.Equal("s3://sqldrill-files/drill", registered.GetProperty("replicaUrl").GetString());
        await WaitSyncedAsync("drill");
        await PythonSqlite.InsertAsync(db, 10);
        await WaitSyncedAsync("drill");
        Assert.True((await _hangar.JsonAsync("sqlite", "drill", "drill")).GetProperty("passed").GetBoolean());

        // The app's own key reaches the bucket: the newest WAL segment, the one with the second batch, goes.
        using var s3 = (await Storage.AppEnvironment.ReadAsync(_hangar, "sqldrill")).S3Client();
        var objects = await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = "sqldrill-files", Prefix = "drill/generations/" });
        var newest = objects.S3Objects.Where(o => o.Key.Contains("/wal/", StringComparison.Ordinal)).OrderBy(o => o.LastModified).ThenBy(o => o.Key, StringComparer.Ordinal).Last();
        await s3.DeleteObjectAsync("sqldrill-files", newest.Key);

        var failed = await _hangar.RunAsync("sqlite", "drill", "drill");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("FAILED", failed.Stdout, StringComparison.Ordinal);
        Assert.Contains("events 10 restored vs 20 live", failed.Stdout, StringComparison.Ordinal);
        var checks = await _hangar.JsonAsync("checks", "list", "-a", "drill");
        Assert.Contains(checks.EnumerateArray(), c => c.GetProperty("name").GetString() == "drill" && c.GetProperty("status").GetString() == "warning"
            && c.GetProperty("output").GetString()!.Contains("row counts differ", StringComparison.Ordinal));
        (await _hangar.RunAsync("sqlite", "stop", "drill")).ShouldSucceed();
    }

    [Fact]
    public async Task Bad_input_is_refused_in_one_line_and_nothing_is_made()
    {
        var dir = await WorkDirAsync("sqlbad");
        var wal = Path.Combine(dir, "good.db");
        await PythonSqlite.InsertAsync(wal, 3);
        var rollback = Path.Combine(dir, "journal.db");
        await PythonSqlite.CreateRollbackAsync(rollback);
        var text = Path.Combine(dir, "notes.txt");
        await File.WriteAllTextAsync(text, new string('x', 200));

        static void OneLine(string error, string fragment)
        {
            Assert.Contains(fragment, error, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Trim());
        }

        OneLine((await _hangar.RunAsync("sqlite", "replicate", Path.Combine(dir, "missing.db"), "-a", "sqlbad")).Fails(), "does not exist");
        OneLine((await _hangar.RunAsync("sqlite", "replicate", text, "-a", "sqlbad")).Fails(), "is not a SQLite database");
        OneLine((await _hangar.RunAsync("sqlite", "replicate", rollback, "-a", "sqlbad")).Fails(), "PRAGMA journal_mode=WAL;");
        OneLine((await _hangar.RunAsync("sqlite", "replicate", wal, "-a", "sqlbad", "--sync-interval", "fast")).Fails(), "invalid --sync-interval 'fast'");
        OneLine((await _hangar.RunAsync("sqlite", "replicate", wal, "-a", "sqlbad", "--retention", "10m")).Fails(), "invalid --retention '10m'");
        OneLine((await _hangar.RunAsync("sqlite", "replicate", wal, "-a", "sqlbad", "--name", "Bad_Name")).Fails(), "invalid sqlite name 'Bad_Name'");
        OneLine((await _hangar.RunAsync("sqlite", "replicate", wal, "-a", "sqlbad", "--bucket", "x")).Fails(), "invalid bucket name 'x'");
        OneLine((await _hangar.RunAsync("sqlite", "replicate", wal, "-a", "no-such-app")).Fails(), "app 'no-such-app' not found");
        Assert.DoesNotContain("sqlbad-sqlite", (await _hangar.RunAsync("storage", "list")).ShouldSucceed().Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(wal, (await _hangar.RunAsync("sqlite", "list")).ShouldSucceed().Stdout, StringComparison.Ordinal);

        (await _hangar.RunAsync("sqlite", "replicate", wal, "-a", "sqlbad", "--name", "good")).ShouldSucceed();
        OneLine((await _hangar.RunAsync("sqlite", "replicate", wal, "-a", "sqlbad", "--name", "again")).Fails(), "already exists");
        OneLine((await _hangar.RunAsync("sqlite", "restore", "good", "--output", wal)).Fails(), "restore never overwrites");
        OneLine((await _hangar.RunAsync("sqlite", "restore", "good", "--output", Path.Combine(dir, "r.db"), "--timestamp", "yesterday")).Fails(), "invalid --timestamp 'yesterday'");
        OneLine((await _hangar.RunAsync("sqlite", "restore", "good", "--output", Path.Combine(dir, "r.db"), "--timestamp", "2020-01-01T00:00:00Z")).Fails(), "outside the retained window");
        OneLine((await _hangar.RunAsync("sqlite", "restore", "nope", "--output", Path.Combine(dir, "r.db"))).Fails(), "sqlite 'nope' not found");
        OneLine((await _hangar.RunAsync("sqlite", "config", "-a", "no-such-app")).Fails(), "app 'no-such-app' not found");
        Assert.False(File.Exists(Path.Combine(dir, "r.db")));
        Assert.Equal(3, (await PythonSqlite.IdsAsync(wal)).Length);
        (await _hangar.RunAsync("sqlite", "stop", "good")).ShouldSucceed();
        OneLine((await _hangar.RunAsync("sqlite", "stop", "good")).Fails(), "stopped already");
    }

    private async Task<string> WorkDirAsync(string app)
    {
        (await _hangar.RunAsync("apps", "create", app)).ShouldSucceed();
        return Directory.CreateDirectory(Path.Combine(_hangar.Root, "sqlite-" + app)).FullName;
    }

    /// <summary>
    /// Polls `sqlite status` until the replica holds every change: Litestream's lag (the database's last change minus
    /// the newest WAL segment's time) is zero or less, which `status` shows as 0.
    /// </summary>
    private async Task WaitSyncedAsync(string name) =>
        await Poll.UntilAsync(() => _hangar.JsonAsync("sqlite", "status", name),
            s => s.TryGetProperty("lagSeconds", out var lag) && lag.ValueKind == JsonValueKind.Number && lag.GetDouble() == 0 && s.TryGetProperty("lastSyncAt", out _),
            SyncWait, $"litestream-{name} to ship every change");
}
