using System.Globalization;
using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Supervision;

namespace Hangar.Daemon.Sqlite;

internal sealed partial class SqliteService
{
    private const int LogTailBytes = 64 * 1024;

    public async Task<SqliteStatusInfo> StatusAsync(string name, CancellationToken cancellationToken)
    {
        var db = await RequireAsync(name, cancellationToken);
        var process = supervisor.Status(SqliteKeys.ProcessName(name));
        var status = new SqliteStatusInfo
        {
            Database = Info(db),
            ProcessState = process?.State.ToString().ToLowerInvariant() ?? "not supervised",
            Pid = process?.Pid,
            Restarts = process?.Restarts ?? 0,
            Adopted = process?.Adopted ?? false,
            LastSyncAt = LastSync(supervisor.LogFileOf(SqliteKeys.ProcessName(name))),
            LastDrill = db.LastDrill is { } drill ? new SqliteDrillResult(name, drill.Passed, drill.At, drill.Seconds, drill.Summary, []) : null,
        };

        try
        {
            var replica = await ReplicaAsync(db, cancellationToken);
            return status with
            {
                Generations = replica.Generations,
                Snapshots = replica.Generations.Sum(g => g.Snapshots),
                ReplicaBytes = replica.Generations.Sum(g => g.Bytes),
                LagSeconds = replica.Lag is { } lag ? Math.Max(0, lag.TotalSeconds) : null,
            };
        }
        catch (HangarException ex)
        {
            return status with { ReplicaError = ex.Message };
        }
    }

    /// <summary>The "litestream" check, and a "drill" check once a drill ran (a failed one is a warning); null when there is no such database.</summary>
    public async Task<IReadOnlyList<CheckInfo>?> ChecksAsync(string name, CancellationToken cancellationToken)
    {
        if (!Core.Names.ResourceNames.IsValid(name) || (await store.GetAsync<SqliteRecord>(SqliteKeys.Database(name), cancellationToken))?.Value is not { } db)
        {
            return null;
        }

        var resource = SqliteKeys.Owner(name);
        var now = time.GetUtcNow();
        var process = supervisor.Status(SqliteKeys.ProcessName(name));
        var checks = new List<CheckInfo>
        {
            db.Phase switch
            {
                SqlitePhase.Stopped or SqlitePhase.Stopping => new CheckInfo("litestream", "passing", "replication stopped by request; the replica is kept", resource, now),
                _ when process is { State: ProcessState.Running } => new CheckInfo("litestream", "passing", $"replicating {db.Path} to s3://{db.Bucket}/{db.Name} (pid {process.Pid})", resource, now),
                _ => new CheckInfo("litestream", "critical", $"litestream is {process?.State.ToString().ToLowerInvariant() ?? "not supervised"}{(db.Error is { } e ? ": " + e : string.Empty)}", resource, now),
            },
        };
        if (db.LastDrill is { } drill)
        {
            checks.Add(new CheckInfo("drill", drill.Passed ? "passing" : "warning", $"{drill.At:u}: {drill.Summary}", resource, now));
        }

        return checks;
    }

    private sealed record Replica(IReadOnlyList<SqliteGenerationInfo> Generations, TimeSpan? Lag);

    private async Task<Replica> ReplicaAsync(SqliteRecord db, CancellationToken cancellationToken)
    {
        // The config may not be there yet for a record the reconciler has not reached; it is the same file either way.
        litestream.WriteConfig(db);
        var generations = await litestream.TableAsync("generations", db, cancellationToken);
        var snapshots = (await litestream.TableAsync("snapshots", db, cancellationToken)).Rows().ToList();
        var wal = (await litestream.TableAsync("wal", db, cancellationToken)).Rows().ToList();
        var list = generations.Rows().Select(g => g["generation"]).Distinct(StringComparer.Ordinal).Select(id =>
        {
            var row = generations.Rows().First(g => g["generation"] == id);
            var ofSnapshots = snapshots.Where(s => s["generation"] == id).ToList();
            var ofWal = wal.Where(w => w["generation"] == id).ToList();
            return new SqliteGenerationInfo(id, Time(row.GetValueOrDefault("start")), Time(row.GetValueOrDefault("end")), ofSnapshots.Count, ofWal.Count,
                ofSnapshots.Sum(s => Size(s)) + ofWal.Sum(w => Size(w)));
        }).OrderBy(g => g.End).ToList();

        var newest = generations.Rows().OrderBy(g => Time(g.GetValueOrDefault("end"))).LastOrDefault();
        var lag = newest is null ? null : LitestreamConfig.ParseDuration(newest["lag"].TrimStart('-')) is { } magnitude ? (newest["lag"].StartsWith('-') ? -magnitude : magnitude) : (TimeSpan?)null;
        return new Replica(list, lag);
    }

    private static long Size(IReadOnlyDictionary<string, string> row) =>
        long.TryParse(row.GetValueOrDefault("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : 0;

    private static DateTimeOffset? Time(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>When Litestream last wrote a WAL segment: the newest `msg="wal segment written"` line in its log.</summary>
    private static DateTimeOffset? LastSync(string logFile)
    {
        try
        {
            using var file = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            file.Seek(Math.Max(0, file.Length - LogTailBytes), SeekOrigin.Begin);
            using var reader = new StreamReader(file);
            var lines = reader.ReadToEnd().Split('\n');
            var line = lines.LastOrDefault(l => l.Contains("msg=\"wal segment written\"", StringComparison.Ordinal));
            return line is not null && line.StartsWith("time=", StringComparison.Ordinal) ? Time(line["time=".Length..line.IndexOf(' ', StringComparison.Ordinal)]) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
