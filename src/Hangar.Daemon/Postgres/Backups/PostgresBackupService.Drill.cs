using System.Globalization;
using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Postgres.Connections;
using Npgsql;

namespace Hangar.Daemon.Postgres.Backups;

/// <summary>
/// `postgres backup drill`: "untested backups are lies". Restores the latest point into a scratch cluster, checks that
/// it starts and takes reads, that every database and user table of the source is there, and reads the largest
/// tables whole (data checksums are on, so a damaged page fails the read); records time-to-restore; destroys it.
/// Row counts are shown, not compared: the source has moved on since the restored point.
/// </summary>
internal sealed partial class PostgresBackupService
{
    private const int LargestTables = 5;

    public async Task<PostgresBackupDrill> DrillAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireEnabledAsync(name, cancellationToken);
        var scratch = (name.Length > PostgresKeys.MaxNameLength - 6 ? name[..(PostgresKeys.MaxNameLength - 6)].TrimEnd('-') : name) + "-drill";
        if (await postgres.FindAsync(scratch, cancellationToken) is not null)
        {
            // Left by a drill the daemon did not finish.
            await postgres.DestroyAsync(scratch, force: true, purgeBackups: true, cancellationToken);
        }

        var started = time.GetTimestamp();
        double seconds = 0;
        string? backupId = null;
        bool passed;
        string detail;
        try
        {
            var sourceDatabases = await TablesAsync(runtime.AdminConnectionString(cluster), d => runtime.AdminConnectionString(cluster, d), cancellationToken);
            var created = await RestoreAsync(name, new PostgresBackupRestoreRequest { NewName = scratch }, cancellationToken);
            seconds = time.GetElapsedTime(started).TotalSeconds;
            backupId = (await InfoAsync(cluster, cancellationToken)).Backups.LastOrDefault()?.Label;
            string Restored(string database) => ConnectionStrings.Npgsql(created.Username, created.Password, created.Hostname, created.ProxyPort, database) + ";Pooling=false;Timeout=10;Command Timeout=600";
            var restoredDatabases = await TablesAsync(Restored("postgres"), Restored, cancellationToken);
            var missing = sourceDatabases.SelectMany(d => d.Value.Keys.Where(t => !(restoredDatabases.GetValueOrDefault(d.Key)?.ContainsKey(t) ?? false)).Select(t => d.Key + "." + t)).ToList();
            var counted = restoredDatabases.SelectMany(d => d.Value.Where(t => t.Value is not null).Select(t => $"{d.Key}.{t.Key}={t.Value}")).ToList();
            passed = missing.Count == 0;
            detail = passed
                ? $"restored in {seconds:0.0} s; {restoredDatabases.Count} databases and {restoredDatabases.Sum(d => d.Value.Count)} tables as in the source; read whole: {(counted.Count == 0 ? "no user tables" : string.Join(", ", counted))}"
                : $"restored in {seconds:0.0} s but missing {string.Join(", ", missing.Take(10))}";
        }
        catch (Exception ex) when (ex is HangarException or NpgsqlException or InvalidOperationException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            passed = false;
            seconds = time.GetElapsedTime(started).TotalSeconds;
            detail = $"restore failed after {seconds:0.0} s: {ex.Message}";
        }
        finally
        {
            if (await postgres.FindAsync(scratch, CancellationToken.None) is not null)
            {
                await postgres.DestroyAsync(scratch, force: true, purgeBackups: true, CancellationToken.None);
            }
        }

        var result = new PostgresDrillResult(time.GetUtcNow(), passed, seconds, backupId, detail);
        await UpdateStateAsync(name, s => s with { LastDrill = result }, cancellationToken);
        Log.Drilled(logger, name, passed ? "passed" : "FAILED", detail);
        return ToDrill(name, result);
    }

    private static PostgresBackupDrill ToDrill(string name, PostgresDrillResult d) => new(name, d.At, d.Passed, d.RestoreSeconds, d.BackupId, d.Detail);

    /// <summary>database → user table → row count for the <see cref="LargestTables"/> largest (read whole), null for the rest.</summary>
    private static async Task<Dictionary<string, Dictionary<string, long?>>> TablesAsync(string postgresDb, Func<string, string> database, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await using (var connection = new NpgsqlConnection(postgresDb))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                names.Add(reader.GetString(0));
            }
        }

        var result = new Dictionary<string, Dictionary<string, long?>>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var tables = new Dictionary<string, long?>(StringComparer.Ordinal);
            await using var connection = new NpgsqlConnection(database(name));
            await connection.OpenAsync(cancellationToken);
            var ordered = new List<string>();
            await using (var command = new NpgsqlCommand("SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables ORDER BY pg_relation_size(relid) DESC, 1", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    ordered.Add(reader.GetString(0));
                }
            }

            foreach (var table in ordered)
            {
                tables[table] = null;
            }

            foreach (var table in ordered.Take(LargestTables))
            {
                // The identifier comes quoted from format('%I'), so it is safe to splice.
                await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
                tables[table] = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            }

            result[name] = tables;
        }

        return result;
    }
}
