using System.Diagnostics;
using System.Globalization;
using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Microsoft.Data.Sqlite;

namespace Hangar.Daemon.Sqlite;

internal sealed partial class SqliteService
{
    private static readonly TimeSpan RestoreLimit = TimeSpan.FromMinutes(10);
    private static readonly string[] TimestampFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public async Task<SqliteRestored> RestoreAsync(string name, SqliteRestoreRequest request, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(Core.Names.ResourceNames.Problem("sqlite", name));
        problems.Add(PathProblem("--output", request.Output));
        DateTimeOffset? timestamp = null;
        if (request.Timestamp is { } text)
        {
            timestamp = ParseTimestamp(text);
            problems.Check(timestamp is not null, $"invalid --timestamp {Printable.Quote(text)}: an RFC 3339 time with its offset, such as 2026-01-02T15:04:05Z");
        }

        problems.ThrowIfAny();
        var db = await RequireAsync(name, cancellationToken);
        var output = Path.GetFullPath(request.Output);
        if (File.Exists(output) || Directory.Exists(output))
        {
            throw HangarException.Precondition($"--output {Printable.Quote(output)} exists: restore never overwrites a file; give a new path");
        }

        if (!Directory.Exists(Path.GetDirectoryName(output)))
        {
            throw HangarException.Invalid($"--output {Printable.Quote(output)}: its directory does not exist");
        }

        if (timestamp is { } at)
        {
            await CheckWindowAsync(db, at, cancellationToken);
        }

        var watch = Stopwatch.StartNew();
        await RestoreToAsync(db, output, timestamp, cancellationToken);
        return new SqliteRestored(name, output, timestamp, watch.Elapsed.TotalSeconds, new FileInfo(output).Length);
    }

    /// <summary>
    /// Restores the latest replica to a scratch file, runs `PRAGMA integrity_check` and compares the row count of each
    /// table with the live file. The live file moves on while the drill runs; counts must be equal only when it did
    /// not change meanwhile (counted before and after), and otherwise the restored copy may not be ahead of it.
    /// </summary>
    public async Task<SqliteDrillResult> DrillAsync(string name, CancellationToken cancellationToken)
    {
        var db = await RequireAsync(name, cancellationToken);
        var scratch = Path.Combine(litestream.InstanceDirectory(name), "drill-" + time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + ".db");
        var at = time.GetUtcNow();
        var watch = Stopwatch.StartNew();
        bool passed;
        string summary;
        var tables = new List<SqliteTableCount>();
        try
        {
            var before = File.Exists(db.Path) ? Counts(db.Path) : null;
            await RestoreToAsync(db, scratch, null, cancellationToken);
            var seconds = watch.Elapsed.TotalSeconds;
            var integrity = IntegrityCheck(scratch);
            var restored = Counts(scratch);
            var after = File.Exists(db.Path) ? Counts(db.Path) : null;
            var quiet = before is not null && after is not null && before.Count == after.Count && before.All(p => after.GetValueOrDefault(p.Key, -1) == p.Value);
            tables.AddRange(restored.Keys.Union(after?.Keys.AsEnumerable() ?? []).Order(StringComparer.Ordinal)
                .Select(t => new SqliteTableCount(t, after?.GetValueOrDefault(t, -1) ?? -1, restored.GetValueOrDefault(t, -1))));
            var mismatched = tables.Where(t => after is not null && (quiet ? t.Restored != t.Live : t.Restored > t.Live || t.Restored < 0)).ToList();
            passed = integrity == "ok" && mismatched.Count == 0;
            summary = integrity != "ok" ? $"integrity_check of the restored copy: {integrity}"
                : mismatched.Count > 0 ? "row counts differ from the live file: " + string.Join(", ", mismatched.Select(t => $"{t.Table} {t.Restored} restored vs {t.Live} live"))
                : $"restored {new FileInfo(scratch).Length} bytes in {seconds:0.00} s; integrity ok; {tables.Count} tables, {tables.Sum(t => Math.Max(0, t.Restored))} rows"
                    + (after is null ? " (live file missing: counts not compared)" : quiet ? ", counts equal to the live file" : ", the live file moved on meanwhile");
        }
        catch (HangarException ex)
        {
            passed = false;
            summary = "restore failed: " + ex.Message;
        }
        finally
        {
            foreach (var file in new[] { scratch, scratch + "-wal", scratch + "-shm", scratch + ".tmp" })
            {
                File.Delete(file);
            }
        }

        var seconds2 = watch.Elapsed.TotalSeconds;
        await store.MutateAsync<SqliteRecord>(SqliteKeys.Database(name), r => r with { LastDrill = new SqliteDrill(at, passed, seconds2, summary) }, cancellationToken);
        return new SqliteDrillResult(name, passed, at, seconds2, summary, tables);
    }

    /// <summary>
    /// Litestream 0.3.13 restores to a time only inside one generation's bounds (its first snapshot to its last WAL
    /// segment), so a time after the last write, or in the gap a crash of Litestream leaves before the next generation,
    /// matches nothing. The replica's state at such a time is the end of the generation before it: that one is restored.
    /// </summary>
    private async Task RestoreToAsync(SqliteRecord db, string output, DateTimeOffset? timestamp, CancellationToken cancellationToken)
    {
        litestream.WriteConfig(db);
        List<string> arguments = ["restore", "-no-expand-env", "-config", litestream.ConfigPath(db.Name), "-o", output];
        var pastEnd = false;
        if (timestamp is { } at)
        {
            var generation = (await ReplicaAsync(db, cancellationToken)).Generations.Where(g => g.Start <= at).MaxBy(g => g.Start);
            if (generation is not null)
            {
                arguments.AddRange(["-generation", generation.Id]);
            }

            // The listing's times are whole seconds: within the end's second only Litestream can tell, so it is asked first.
            pastEnd = generation?.End is { } end && at >= end;
            if (!(generation?.End is { } last && at >= last.AddSeconds(1)))
            {
                arguments.AddRange(["-timestamp", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)]);
            }
        }

        arguments.Add(db.Path);
        var error = await RunRestoreAsync(db, arguments, cancellationToken);
        if (error is not null && pastEnd && NoBackup(error))
        {
            var index = arguments.IndexOf("-timestamp");
            arguments.RemoveRange(index, 2);
            error = await RunRestoreAsync(db, arguments, cancellationToken);
        }

        if (error is not null)
        {
            throw NoBackup(error)
                ? HangarException.Precondition(timestamp is { } t
                    ? $"--timestamp {t.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} is outside what the replica of sqlite '{db.Name}' holds ({error})"
                    : $"the replica of sqlite '{db.Name}' holds no backup yet ({error})")
                : HangarException.Precondition($"litestream restore of sqlite '{db.Name}' failed: {error}");
        }
    }

    private static bool NoBackup(string error) =>
        error.Contains("no matching backups", StringComparison.Ordinal) || error.Contains("no generation", StringComparison.Ordinal) || error.Contains("no snapshots", StringComparison.Ordinal);

    /// <summary>Null when the restore succeeded, else Litestream's error.</summary>
    private async Task<string?> RunRestoreAsync(SqliteRecord db, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var (exit, stdout, stderr) = await litestream.RunAsync(arguments, db, RestoreLimit, cancellationToken);
        return exit == 0 ? null : Litestream.LastError(stdout + "\n" + stderr);
    }

    /// <summary>Refuses a time before the oldest generation's start or in the future, naming the window.</summary>
    private async Task CheckWindowAsync(SqliteRecord db, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var replica = await ReplicaAsync(db, cancellationToken);
        var oldest = replica.Generations.Select(g => g.Start).Where(s => s is not null).Min();
        if (oldest is null)
        {
            throw HangarException.Precondition($"the replica of sqlite '{db.Name}' holds no backup yet");
        }

        if (at < oldest || at > now)
        {
            throw HangarException.Precondition(
                $"--timestamp {at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} is outside the retained window of sqlite '{db.Name}': {oldest.Value.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} to now ({now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}), retention {db.Retention}");
        }
    }

    private static DateTimeOffset? ParseTimestamp(string text) =>
        text.Length > 0 && (text[^1] is 'Z' or 'z' || text.Length > 6 && text[^6] is '+' or '-')
        && DateTimeOffset.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static string IntegrityCheck(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("; ", lines.Take(5));
    }

    private static Dictionary<string, long> Counts(string path)
    {
        using var connection = Open(path);
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            // Litestream's own bookkeeping table changes on every sync; it says nothing about the app's data.
            list.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_litestream%' ESCAPE '\\'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            counts[table] = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        return counts;
    }

    /// <summary>Read-only: a read-only connection never checkpoints or removes the WAL Litestream is shipping.</summary>
    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            connection.Open();
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw HangarException.Precondition($"cannot read {Printable.Quote(path)}: {ex.Message}");
        }
    }
}
