using System.Text.Json.Nodes;
using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Postgres.Backups;
using Hangar.Postgres.Rest;
using Hangar.State;
using Npgsql;

namespace Hangar.Daemon.Postgres.Backups;

/// <summary>Running pgBackRest for a cluster: configure, back up, read the repository and the archiver.</summary>
internal sealed partial class PostgresBackupService
{
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(15);

    /// <summary>
    /// One scheduler step for a cluster: configure when the epoch moved, then the full/diff schedule, then the archiver's
    /// health. Errors are recorded in the state (shown by `backup list` and the backup check) and retried next tick.
    /// </summary>
    public async Task ReconcileAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var settings = cluster.Backups;
        if (settings is null || cluster.Phase != PostgresPhase.Running)
        {
            return;
        }

        try
        {
            if (!settings.Enabled)
            {
                await WithLockAsync(cluster.Name, () => ApplyArchiveSettingsAsync(cluster, enabled: false, cancellationToken), cancellationToken);
                return;
            }

            var state = await StateAsync(cluster.Name, cancellationToken) ?? new PostgresBackupState { Cluster = cluster.Name };
            var now = time.GetUtcNow();
            if (state.LastErrorAt is { } failedAt && now - failedAt < RetryAfter && state.FullEpoch < settings.Epoch)
            {
                return;
            }

            await WithLockAsync(cluster.Name, () => ConfigureAsync(cluster, cancellationToken), cancellationToken);
            var type = state.FullEpoch < settings.Epoch || state.LastFullAt is not { } full || now - full >= FullEvery ? "full"
                : state.Interrupted is { } interrupted ? interrupted
                : state.LastBackupAt is not { } last || now - last >= DiffEvery ? "diff"
                : null;
            if (type is not null)
            {
                await BackupAsync(cluster, type, cancellationToken);
            }

            await WatchArchiverAsync(cluster, cancellationToken);
            if (DrillSchedule.Next(state, options.BackupDrillDays) is { } due && due <= now)
            {
                await DrillAsync(cluster.Name, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is HangarException or InvalidOperationException or NpgsqlException or HttpRequestException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            Log.StepFailed(logger, cluster.Name, ex.Message);
            await UpdateStateAsync(cluster.Name, s => s with { LastError = ex.Message, LastErrorAt = time.GetUtcNow(), Running = null }, cancellationToken);
        }
    }

    /// <summary>
    /// Once per daemon start, before the first pass: a killed daemon's pgbackrest commands are stopped (their locks
    /// released), and a backup its state shows running is marked interrupted, so the first pass takes it again.
    /// </summary>
    public async Task RecoverAfterRestartAsync(CancellationToken cancellationToken)
    {
        foreach (var command in await repository.StopLeftoversAsync(null, cancellationToken))
        {
            Log.LeftoverStopped(logger, command);
        }

        foreach (var entry in await store.ListAsync<PostgresBackupState>(BackupKeys.StatePrefix, cancellationToken))
        {
            if (entry.Value.Running is { } running)
            {
                var type = entry.Value.RunningType ?? "full";
                await UpdateStateAsync(entry.Value.Cluster, s => s with { Running = null, RunningType = null, Interrupted = type, LastError = $"the {running} was cut short by a daemon restart; taken again", LastErrorAt = time.GetUtcNow() }, cancellationToken);
                Log.Interrupted(logger, entry.Value.Cluster, type);
            }
        }
    }

    /// <summary>
    /// A state whose cluster record is gone: the state goes; the repository too unless `postgres destroy` kept it
    /// (a <see cref="PostgresDeletedBackups"/> record, removed by <see cref="ExpireDeletedAsync"/> when its time is up).
    /// </summary>
    public async Task ForgetAsync(PostgresBackupState state, Func<string, CancellationToken, Task> destroyBucket, CancellationToken cancellationToken)
    {
        var name = state.Cluster;
        if (await store.Inner.GetAsync(BackupKeys.Deleted(name, state.Generation), cancellationToken) is null)
        {
            await destroyBucket(BackupKeys.Bucket(name, state.Generation), cancellationToken);
        }

        await store.Inner.DeleteAsync(BackupKeys.State(name), cancellationToken);
        _locks.TryRemove(name, out _);
        Log.Forgotten(logger, name);
    }

    /// <summary>Removes the kept repositories of destroyed clusters whose time is up (at once after --purge-backups).</summary>
    public async Task ExpireDeletedAsync(Func<string, CancellationToken, Task> destroyBucket, CancellationToken cancellationToken)
    {
        foreach (var entry in await store.ListAsync<PostgresDeletedBackups>(BackupKeys.DeletedPrefix, cancellationToken))
        {
            var kept = entry.Value;
            if (kept.KeepUntil > time.GetUtcNow())
            {
                continue;
            }

            // The off-site prefix is the operator's bucket: it expires by pgBackRest's retention and is never reused
            // (a re-created cluster of the name writes under its own generation), so only the local bucket goes here.
            await destroyBucket(BackupKeys.Bucket(kept.Cluster, kept.Generation), cancellationToken);
            await store.Inner.DeleteAsync(BackupKeys.Deleted(kept.Cluster, kept.Generation), cancellationToken);
            var directory = Path.Combine(repository.DeletedRoot, kept.Cluster + "." + kept.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Log.DeletedExpired(logger, kept.Cluster, kept.Generation);
        }
    }

    public async Task<PostgresBackupList> ListAsync(string name, bool deletedOnly, CancellationToken cancellationToken)
    {
        var (cluster, deleted) = await SourceAsync(name, deletedOnly, cancellationToken);
        if (cluster.Backups is null)
        {
            throw HangarException.Precondition($"backups are not enabled on cluster '{name}': `hangar postgres backup enable -a {name}`");
        }

        var state = deleted is null ? await StateAsync(name, cancellationToken) ?? new PostgresBackupState { Cluster = name } : new PostgresBackupState { Cluster = name, RestorePoints = deleted.RestorePoints };
        PgBackRestInfo? info = null;
        string? infoError = null;
        try
        {
            info = await InfoAsync(cluster, deleted, cancellationToken);
        }
        catch (HangarException ex)
        {
            infoError = ex.Message;
        }

        var archivedThrough = deleted is null && cluster.Phase == PostgresPhase.Running ? await ArchivedThroughAsync(cluster, forceSwitch: false, cancellationToken) : null;
        var window = info is null ? null : RestoreWindow.Of(info, archivedThrough ?? DateTimeOffset.MinValue);
        var enabled = deleted is null && cluster.Backups.Enabled;
        return new PostgresBackupList
        {
            Cluster = name,
            Enabled = enabled,
            DeletedAt = deleted?.DeletedAt,
            KeptUntil = deleted?.KeepUntil,
            RetentionDays = cluster.Backups.RetentionDays,
            Backups = [.. (info?.Backups ?? []).Select(ToInfo)],
            Offsite = repository.OffsiteLocation(name, cluster.Backups.Generation),
            EarliestRestorableTime = window?.EarliestTime,
            LatestRestorableTime = window?.LatestTime,
            EarliestRestorableLsn = window?.EarliestLsn.ToString(),
            LatestRestorableLsn = window?.LatestLsn.ToString(),
            ArchiveMin = info?.ArchiveMin,
            ArchiveMax = info?.ArchiveMax,
            ArchiveFailingSince = state.ArchiveFailingSince,
            ArchiveFailure = state.ArchiveFailure,
            LastFullAt = state.LastFullAt,
            NextFullAt = enabled ? (state.LastFullAt ?? time.GetUtcNow()) + FullEvery : null,
            NextDiffAt = enabled ? (state.LastBackupAt ?? time.GetUtcNow()) + DiffEvery : null,
            Running = state.Running,
            LastError = infoError ?? state.LastError,
            RestorePoints = [.. state.RestorePoints.Select(p => new PostgresRestorePointInfo(p.Name, p.Lsn, p.CreatedAt))],
            LastDrill = state.LastDrill is { } drill ? ToDrill(name, drill) : null,
            NextDrillAt = enabled ? DrillSchedule.Next(state, options.BackupDrillDays) : null,
        };
    }

    private async Task ConfigureAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var repos = await repository.EnsureAsync(cluster, cancellationToken);
        await repository.WriteNodeConfigsAsync(cluster, repos, cancellationToken);
        var epoch = cluster.Backups!.Epoch;
        var offsite = repository.OffsiteLocation(cluster.Name, cluster.Backups.Generation);
        var state = await StateAsync(cluster.Name, cancellationToken);
        // A daemon restarted with a new --backup-s3 needs the stanza in that repository too; stanza-create leaves the
        // repositories that already hold it as they are.
        if ((state?.ConfiguredEpoch ?? -1) < epoch || (offsite is not null && state?.ConfiguredOffsite != offsite))
        {
            // Before archive_command points at pgBackRest: stanza-create takes the archive lock an async archive-push holds.
            var (leader, _) = await TopologyAsync(cluster, cancellationToken);
            await repository.RunAsync(repository.Paths(leader), cluster.Name, ["stanza-create"], cancellationToken);
            var generation = cluster.Backups.Generation;
            await UpdateStateAsync(cluster.Name, s => s with { ConfiguredEpoch = epoch, ConfiguredOffsite = offsite, Generation = generation }, cancellationToken);
            var bucket = BackupKeys.Bucket(cluster.Name, generation);
            Log.Configured(logger, cluster.Name, offsite is null ? bucket : $"{bucket} and {offsite}");
        }

        await ApplyArchiveSettingsAsync(cluster, enabled: true, cancellationToken);
    }

    /// <summary>archive_command, archive_timeout and restore_command in Patroni's dynamic configuration (every node, any leader).</summary>
    private async Task ApplyArchiveSettingsAsync(PostgresRecord cluster, bool enabled, CancellationToken cancellationToken)
    {
        var patch = ArchivePatch(cluster.Name, enabled);
        var wanted = patch["postgresql"]!["parameters"]!.AsObject();
        var (leader, _) = await TopologyAsync(cluster, cancellationToken);
        var patroni = runtime.Patroni(cluster, leader);
        var current = await patroni.GetConfigAsync(cancellationToken);
        var parameters = current["postgresql"]?["parameters"] as JsonObject;
        var restore = current["postgresql"]?["recovery_conf"]?["restore_command"]?.GetValue<string>();
        var same = wanted.All(p => parameters?[p.Key]?.ToString() == p.Value!.ToString())
            && restore == (enabled ? PgBackRestConfig.RestoreCommand(cluster.Name) : null);
        if (!same)
        {
            await patroni.PatchConfigAsync(patch, cancellationToken);
        }

        if (!enabled)
        {
            return;
        }

        // Patroni reloads each node on its next loop; a backup started before the leader has the command would fail its check.
        var deadline = time.GetUtcNow() + SettleLimit;
        var expected = PgBackRestConfig.ArchiveCommand(cluster.Name);
        while (true)
        {
            await using var connection = new NpgsqlConnection(runtime.AdminConnectionString(cluster));
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT current_setting('archive_mode'), current_setting('archive_command')", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var (mode, archiveCommand) = (reader.GetString(0), reader.GetString(1));
            if (mode == "off")
            {
                throw HangarException.Precondition($"archive_mode is off on cluster '{cluster.Name}' (made before Hangar had backups): it is set now and takes effect at `hangar postgres restart -a {cluster.Name}`");
            }

            if (archiveCommand == expected)
            {
                return;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw HangarException.Precondition($"cluster '{cluster.Name}' has not taken the new archive_command after {SettleLimit.TotalSeconds:0} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300), time, cancellationToken);
        }
    }

    private Task<PostgresBackupInfo> BackupAsync(PostgresRecord cluster, string type, CancellationToken cancellationToken) =>
        WithLockAsync(cluster.Name, async () =>
        {
            var (leader, standby) = await TopologyAsync(cluster, cancellationToken);
            await UpdateStateAsync(cluster.Name, s => s with { Running = $"{type} backup since {RestoreWindow.Format(time.GetUtcNow())}", RunningType = type }, cancellationToken);
            var started = time.GetUtcNow();
            try
            {
                await repository.RunAsync(repository.Paths(leader), cluster.Name, BackupArguments(PostgresBackupRepository.Local, type, standby), cancellationToken);
            }
            catch (HangarException ex)
            {
                await UpdateStateAsync(cluster.Name, s => s with { Running = null, RunningType = null, LastError = $"{type} backup failed: {ex.Message}", LastErrorAt = time.GetUtcNow() }, cancellationToken);
                throw;
            }

            var info = await InfoAsync(cluster, cancellationToken, PostgresBackupRepository.Local);
            var made = info.Backups.LastOrDefault(b => b.Stop >= started.AddSeconds(-1)) ?? info.Backups.LastOrDefault()
                ?? throw HangarException.Precondition($"pgBackRest reported a {type} backup of '{cluster.Name}' but lists none");
            var epoch = cluster.Backups?.Epoch ?? 0;
            var now = time.GetUtcNow();
            await UpdateStateAsync(cluster.Name, s => s with
            {
                Running = null,
                RunningType = null,
                Interrupted = null,
                LastBackupAt = now,
                LastFullAt = made.Type == "full" ? now : s.LastFullAt,
                FullEpoch = made.Type == "full" ? Math.Max(s.FullEpoch, epoch) : s.FullEpoch,
                LastError = null,
                LastErrorAt = null,
            }, cancellationToken);
            Log.BackedUp(logger, cluster.Name, made.Label, made.Type, standby ? "a standby" : "the leader", (made.Stop - made.Start).TotalSeconds);
            if (repository.HasOffsite)
            {
                // Then the same to the off-site repository: its own chain (pgBackRest makes the first one there a full),
                // taken after the local one so a slow or unreachable endpoint never delays the local backup.
                try
                {
                    await repository.RunAsync(repository.Paths(leader), cluster.Name, BackupArguments(PostgresBackupRepository.Offsite, type, standby), cancellationToken);
                }
                catch (HangarException ex)
                {
                    await UpdateStateAsync(cluster.Name, s => s with { LastError = $"off-site {type} backup failed: {ex.Message}", LastErrorAt = time.GetUtcNow() }, cancellationToken);
                    throw new HangarException(ex.Code, $"the local {type} backup {made.Label} of '{cluster.Name}' is done, the off-site one failed: {ex.Message}");
                }

                Log.BackedUpOffsite(logger, cluster.Name, type);
            }

            return ToInfo(made);
        }, cancellationToken);

    /// <summary>From a streaming replica when there is one, so the leader only sends its start/stop calls and WAL.</summary>
    private static List<string> BackupArguments(int repo, string type, bool standby) =>
        ["--repo=" + repo.ToString(System.Globalization.CultureInfo.InvariantCulture), "--type=" + type, .. standby ? ["--backup-standby"] : Array.Empty<string>(), "backup"];

    /// <summary>`pgbackrest info` of every repository, or of <paramref name="repo"/> alone.</summary>
    private Task<PgBackRestInfo> InfoAsync(PostgresRecord cluster, CancellationToken cancellationToken, int? repo = null) => InfoAsync(cluster, null, cancellationToken, repo);

    /// <summary>The same of a live cluster (through a node's config) or of a destroyed one's kept repository.</summary>
    private async Task<PgBackRestInfo> InfoAsync(PostgresRecord cluster, PostgresDeletedBackups? deleted, CancellationToken cancellationToken, int? repo = null)
    {
        var paths = deleted is not null ? await repository.DeletedPathsAsync(deleted.Source, cancellationToken)
            : cluster.Nodes.OrderBy(n => n.Ordinal).Select(repository.Paths).FirstOrDefault(p => File.Exists(p.ConfigFile))
            ?? throw HangarException.Precondition($"cluster '{cluster.Name}' has no pgBackRest configuration yet; backups are still being set up");
        List<string> arguments = ["--output=json", "info"];
        if (repo is { } r)
        {
            arguments.Insert(0, "--repo=" + r.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var json = await repository.RunAsync(paths, cluster.Name, arguments, cancellationToken);
        return PgBackRestInfo.Parse(json, cluster.Name);
    }

    /// <summary>
    /// The moment up to which every commit is in the archive: with <paramref name="forceSwitch"/>, the current segment is
    /// closed and waited on, so it is now; otherwise now when the current position sits on an archived boundary, else the
    /// last segment's archive time. Null when the archiver has pushed nothing or the cluster does not answer (then the
    /// end of the archive is the latest point, and times past the newest backup are refused as outside the window).
    /// </summary>
    private async Task<DateTimeOffset?> ArchivedThroughAsync(PostgresRecord cluster, bool forceSwitch, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(runtime.AdminConnectionString(cluster));
            await connection.OpenAsync(cancellationToken);
            if (forceSwitch)
            {
                DateTimeOffset before;
                string segment;
                await using (var command = new NpgsqlCommand("SELECT clock_timestamp(), pg_walfile_name(pg_switch_wal())", connection))
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    await reader.ReadAsync(cancellationToken);
                    (before, segment) = (reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1));
                }

                var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(60);
                while (time.GetUtcNow() < deadline)
                {
                    await using var poll = new NpgsqlCommand("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver", connection);
                    if (string.CompareOrdinal((string)(await poll.ExecuteScalarAsync(cancellationToken))!, segment) >= 0)
                    {
                        return before;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
                }

                throw HangarException.Precondition($"WAL segment {segment} of cluster '{cluster.Name}' was not archived within 60 s, so the latest restorable time is unknown: see `hangar checks list -a {cluster.Name}`");
            }

            await using var query = new NpgsqlCommand(
                "SELECT last_archived_time, pg_walfile_name(pg_current_wal_lsn()) <= coalesce(last_archived_wal, ''), clock_timestamp() FROM pg_stat_archiver", connection);
            await using var row = await query.ExecuteReaderAsync(cancellationToken);
            await row.ReadAsync(cancellationToken);
            if (row.IsDBNull(0))
            {
                return null;
            }

            return row.GetBoolean(1) ? row.GetFieldValue<DateTimeOffset>(2) : row.GetFieldValue<DateTimeOffset>(0);
        }
        catch (NpgsqlException ex)
        {
            if (forceSwitch)
            {
                // A lost cluster (every node gone) is what backups are for: the repository alone is what there is.
                Log.SourceUnreachable(logger, cluster.Name, ex.Message);
            }

            return null;
        }
    }

    /// <summary>pg_stat_archiver on the leader: records since when pushing fails, clears it once a segment goes through.</summary>
    private async Task WatchArchiverAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(runtime.AdminConnectionString(cluster));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT last_failed_wal, last_failed_time, last_archived_time FROM pg_stat_archiver", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        DateTimeOffset? failed = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);
        DateTimeOffset? archived = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2);
        var failing = failed is { } f && (archived is not { } a || f > a);
        var wal = reader.IsDBNull(0) ? null : reader.GetString(0);
        var state = await StateAsync(cluster.Name, cancellationToken);
        if (failing && state?.ArchiveFailingSince is null)
        {
            var since = failed!.Value;
            await UpdateStateAsync(cluster.Name, s => s with { ArchiveFailingSince = since, ArchiveFailure = $"WAL segment {wal} could not be pushed to the repository (see the node's pgbackrest/log)" }, cancellationToken);
            Log.ArchiveFailing(logger, cluster.Name, wal ?? "?");
        }
        else if (!failing && state?.ArchiveFailingSince is not null)
        {
            await UpdateStateAsync(cluster.Name, s => s with { ArchiveFailingSince = null, ArchiveFailure = null }, cancellationToken);
            Log.ArchiveRecovered(logger, cluster.Name);
        }
    }

    /// <summary>The leader node, and whether a replica streams closely enough to back up from.</summary>
    private async Task<(PostgresNodeRecord Leader, bool Standby)> TopologyAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var (state, error) = await runtime.ClusterStateAsync(cluster, cancellationToken);
        var leaderName = state?.Leader?.Name ?? throw HangarException.Precondition($"cluster '{cluster.Name}' has no leader: {error ?? "none elected"}");
        var leader = cluster.Nodes.FirstOrDefault(n => n.Name == leaderName) ?? throw HangarException.Precondition($"leader {leaderName} of '{cluster.Name}' is not one of its nodes");
        var standby = state.Replicas.Any(m => m.State == "streaming" && m.LagBytes is < 16 * 1024 * 1024 && cluster.Nodes.Any(n => n.Name == m.Name));
        return (leader, standby);
    }

    private static PostgresBackupInfo ToInfo(PgBackRestBackup b) =>
        new(b.Label, b.Type, b.Start, b.Stop, (b.Stop - b.Start).TotalSeconds, b.Size, b.StoredSize, b.WalStart, b.WalStop, b.StartLsn.ToString(), b.StopLsn.ToString(),
            b.Repo == PostgresBackupRepository.Offsite ? PostgresBackupInfo.OffsiteRepository : PostgresBackupInfo.LocalRepository);
}
