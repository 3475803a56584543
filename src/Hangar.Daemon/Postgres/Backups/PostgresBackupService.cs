using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Names;
using Hangar.Core.Resources;
using Hangar.Daemon.Reconcile;
using Hangar.Postgres.Backups;
using Hangar.State;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hangar.Daemon.Postgres.Backups;

/// <summary>
/// `postgres backup ...`: enable/disable write the cluster record's <see cref="PostgresBackupSettings"/> and wait for
/// the scheduler; create, list, mark and restore run pgBackRest (one command per cluster at a time) and keep what
/// happened in the cluster's <see cref="PostgresBackupState"/>. Configuring a cluster is idempotent: its system bucket,
/// every node's pgbackrest.conf, archive_command/restore_command in Patroni's dynamic configuration, the stanza.
/// </summary>
internal sealed partial class PostgresBackupService(
    RecordStore store,
    PostgresRuntime runtime,
    PostgresBackupRepository repository,
    PostgresService postgres,
    Hosting.DaemonOptions options,
    TimeProvider time,
    ILogger<PostgresBackupService> logger)
{
    public const int MaxRetentionDays = 365;
    public static readonly TimeSpan FullEvery = TimeSpan.FromDays(7);
    public static readonly TimeSpan DiffEvery = TimeSpan.FromDays(1);
    private static readonly TimeSpan EnableLimit = TimeSpan.FromMinutes(10);
    private static readonly string[] Types = ["full", "diff", "incr"];

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <summary>Poked on enable, so the scheduler does not wait for its next tick.</summary>
    public Reconcile.ReconcileTrigger Signal { get; } = new();

    public async Task<PostgresBackupList> EnableAsync(string name, int? retentionDays, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Range("--backup-retention", retentionDays, 1, MaxRetentionDays);
        problems.ThrowIfAny();
        var cluster = await RequireRunningAsync(name, cancellationToken);
        if (cluster.Backups is { Enabled: true })
        {
            throw new HangarException(ErrorCodes.AlreadyExists, $"backups are already enabled on cluster '{name}' (retention {cluster.Backups.RetentionDays} days); `hangar postgres backup disable -a {name}` first to change them");
        }

        // A cluster enabling backups for the first time takes the next repository of its name (a destroyed namesake's may be kept).
        var generation = cluster.Backups?.Generation ?? await BackupGenerations.NextAsync(store, name, cancellationToken);
        var updated = await store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster(name), r => r with
        {
            Backups = new PostgresBackupSettings
            {
                Enabled = true,
                RetentionDays = retentionDays ?? r.Backups?.RetentionDays ?? PostgresBackupSettings.DefaultRetentionDays,
                Epoch = (r.Backups?.Epoch ?? 0) + 1,
                Generation = r.Backups?.Generation ?? generation,
            },
        }, cancellationToken) ?? throw HangarException.NotFound("postgres cluster", name);
        var epoch = updated.Backups!.Epoch;
        var asked = time.GetUtcNow();
        Signal.Poke();
        var state = await new RecordWait(store, time).UntilAsync<PostgresBackupState>(BackupKeys.State(name), s => s is not null && (s.FullEpoch >= epoch || s.LastErrorAt >= asked), EnableLimit,
            s => $"backups of cluster '{name}' are enabled; the first full backup is still running (see `hangar postgres backup list -a {name}`)", cancellationToken);
        if (state is { LastError: { } error } && state.FullEpoch < epoch)
        {
            throw HangarException.Precondition($"backups of cluster '{name}' are enabled but the first full backup failed (retried every 15 s): {error}");
        }

        return await ListAsync(name, deletedOnly: false, cancellationToken);
    }

    public async Task DisableAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireAsync(name, cancellationToken);
        if (cluster.Backups is not { Enabled: true })
        {
            throw HangarException.Precondition($"backups are not enabled on cluster '{name}'");
        }

        cluster = await store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster(name), r => r with { Backups = r.Backups! with { Enabled = false } }, cancellationToken) ?? cluster;
        await WithLockAsync(name, () => ApplyArchiveSettingsAsync(cluster, enabled: false, cancellationToken), cancellationToken);
        Log.Disabled(logger, name);
    }

    public async Task<PostgresBackupStarted> CreateBackupAsync(string name, PostgresBackupCreateRequest request, CancellationToken lifetime, CancellationToken cancellationToken)
    {
        var type = request.Type ?? "incr";
        if (!Types.Contains(type))
        {
            throw HangarException.Invalid($"invalid --type {Printable.Quote(type)}: full, diff or incr");
        }

        var cluster = await RequireEnabledAsync(name, cancellationToken);

        // `create --enable-backups` leaves the stanza and the nodes' pgbackrest.conf to the scheduler's next pass; a
        // backup asked before it would meet pgBackRest's "unable to open missing file" instead of being taken.
        await WithLockAsync(name, () => ConfigureAsync(cluster, cancellationToken), cancellationToken);
        if (request.Detach)
        {
            // Not tied to the request: the backup goes on after the CLI returned, until the daemon stops.
            _ = Task.Run(async () =>
            {
                try
                {
                    await BackupAsync(cluster, type, lifetime);
                }
                catch (Exception ex) when (ex is HangarException or InvalidOperationException or OperationCanceledException or NpgsqlException)
                {
                    Log.BackupFailed(logger, name, type, ex.Message);
                }
            }, CancellationToken.None);
            return new PostgresBackupStarted(name, type, Detached: true, null);
        }

        var backup = await BackupAsync(cluster, type, cancellationToken);
        return new PostgresBackupStarted(name, backup.Type, Detached: false, backup);
    }

    public async Task<PostgresRestorePointInfo> MarkAsync(string name, string pointName, CancellationToken cancellationToken)
    {
        if (RestoreTargets.MarkProblem(pointName) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        var cluster = await RequireEnabledAsync(name, cancellationToken);
        var state = await StateAsync(name, cancellationToken);
        if (state?.RestorePoints.FirstOrDefault(p => p.Name == pointName) is { } existing)
        {
            throw new HangarException(ErrorCodes.AlreadyExists, $"restore point '{pointName}' already marks cluster '{name}' at {RestoreWindow.Format(existing.CreatedAt)} (LSN {existing.Lsn}): pick another name");
        }

        await using var connection = new NpgsqlConnection(runtime.AdminConnectionString(cluster));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_create_restore_point(@name)::text, clock_timestamp()", connection);
        command.Parameters.AddWithValue("name", pointName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var point = new PostgresRestorePoint(pointName, reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1));
        await UpdateStateAsync(name, s => s with { RestorePoints = [.. s.RestorePoints, point] }, cancellationToken);
        Log.Marked(logger, name, pointName, point.Lsn);
        return new PostgresRestorePointInfo(point.Name, point.Lsn, point.CreatedAt);
    }

    public async Task<PostgresCreated> RestoreAsync(string name, PostgresBackupRestoreRequest request, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("cluster", request.NewName));
        problems.Check(request.NewName.Length <= PostgresKeys.MaxNameLength, $"invalid cluster name '{request.NewName}': at most {PostgresKeys.MaxNameLength} characters");
        problems.ThrowIfAny();
        var (source, deleted) = await SourceAsync(name, request.Deleted, cancellationToken);
        if (source.Backups is null)
        {
            throw HangarException.Precondition($"cluster '{name}' has never had backups: `hangar postgres backup enable -a {name}`");
        }

        if (await store.Inner.GetAsync(PostgresKeys.Cluster(request.NewName), cancellationToken) is not null)
        {
            throw HangarException.Exists("postgres cluster", request.NewName);
        }

        var repo = RepoOf(request.Repository);
        var target = new RestoreRequestTarget(request.BackupId, request.RestoreTargetTime, request.RestoreTargetName, request.RestoreTargetLsn, request.RestoreTargetInclusive);
        var info = await InfoAsync(source, deleted, cancellationToken, repo);
        // Off-site is for when the local side is damaged: closing the current segment would wait on an archiver that
        // may be failing on the local repository, so the window ends at what is already archived (at most archive_timeout old).
        // A destroyed cluster has nothing more to archive: its window ends with its archive.
        var archivedThrough = deleted is null ? await ArchivedThroughAsync(source, forceSwitch: repo == PostgresBackupRepository.Local, cancellationToken) : null;
        var window = RestoreWindow.Of(info, archivedThrough ?? DateTimeOffset.MinValue);
        var points = deleted?.RestorePoints ?? (await StateAsync(name, cancellationToken))?.RestorePoints ?? [];
        var restore = RestoreTargets.Resolve(name, target, info, window, points) with
        {
            LastArchivedSegment = info.ArchiveMax,
            Repo = repo,
            Generation = source.Backups.Generation,
            Deleted = deleted is not null,
        };
        Log.Restoring(logger, name, request.NewName, restore.BackupSet, restore.TargetType, restore.Target ?? "-");

        // Same shape as the source, so nothing the source's data needs (volume size) is smaller; new passwords.
        return await postgres.CreateAsync(new PostgresCreateRequest
        {
            Name = request.NewName,
            Region = source.Region,
            Preset = source.Preset is PostgresService.Production ? PostgresService.Production : PostgresService.Development,
            InitialClusterSize = source.NodeCount,
            VolumeSizeGb = source.VolumeSizeGb,
            Synchronous = source.Synchronous,
            EnableBackups = false,
        }, restore, cancellationToken);
    }

    /// <summary>
    /// The cluster to restore or list: the live one, or with <paramref name="deleted"/> (or when no cluster has the name)
    /// the newest kept repository of a destroyed cluster of that name.
    /// </summary>
    private async Task<(PostgresRecord Source, PostgresDeletedBackups? Deleted)> SourceAsync(string name, bool deleted, CancellationToken cancellationToken)
    {
        if (ResourceNames.Problem("cluster", name) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        if (!deleted && (await store.GetAsync<PostgresRecord>(PostgresKeys.Cluster(name), cancellationToken))?.Value is { } live)
        {
            return (live, null);
        }

        var kept = (await store.ListAsync<PostgresDeletedBackups>(BackupKeys.DeletedOf(name), cancellationToken)).Select(e => e.Value)
            .Where(d => d.KeepUntil > time.GetUtcNow()).OrderBy(d => d.Generation).LastOrDefault();
        return kept is not null ? (kept.Source, kept)
            : deleted ? throw new HangarException(ErrorCodes.NotFound, $"no destroyed cluster '{name}' has kept backups (kept for the backup retention after `postgres destroy`, not at all with --purge-backups)")
            : throw HangarException.NotFound("postgres cluster", name);
    }

    private int RepoOf(string? given)
    {
        switch (given)
        {
            case null or PostgresBackupInfo.LocalRepository or "1":
                return PostgresBackupRepository.Local;
            case PostgresBackupInfo.OffsiteRepository or "2":
                return repository.HasOffsite ? PostgresBackupRepository.Offsite
                    : throw HangarException.Precondition("--repo offsite: this daemon has no off-site repository; start it with `hangar up --backup-s3 URL --backup-s3-key KEY --backup-s3-secret SECRET`");
            default:
                throw HangarException.Invalid($"invalid --repo {Printable.Quote(given)}: local or offsite");
        }
    }

    private async Task<PostgresRecord> RequireAsync(string name, CancellationToken cancellationToken)
    {
        if (ResourceNames.Problem("cluster", name) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        return (await store.GetAsync<PostgresRecord>(PostgresKeys.Cluster(name), cancellationToken))?.Value ?? throw HangarException.NotFound("postgres cluster", name);
    }

    private async Task<PostgresRecord> RequireRunningAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireAsync(name, cancellationToken);
        return cluster.Phase == PostgresPhase.Running ? cluster
            : throw HangarException.Precondition($"cluster '{name}' is {cluster.Phase.ToString().ToLowerInvariant()}, not running");
    }

    private async Task<PostgresRecord> RequireEnabledAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        return cluster.Backups is { Enabled: true } ? cluster
            : throw HangarException.Precondition($"backups are not enabled on cluster '{name}': `hangar postgres backup enable -a {name}`");
    }

    private async Task<T> WithLockAsync<T>(string name, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            gate.Release();
        }
    }

    private Task WithLockAsync(string name, Func<Task> action, CancellationToken cancellationToken) =>
        WithLockAsync(name, async () =>
        {
            await action();
            return true;
        }, cancellationToken);

    private async Task<PostgresBackupState?> StateAsync(string name, CancellationToken cancellationToken) =>
        (await store.GetAsync<PostgresBackupState>(BackupKeys.State(name), cancellationToken))?.Value;

    private async Task<PostgresBackupState> UpdateStateAsync(string name, Func<PostgresBackupState, PostgresBackupState> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (await store.MutateAsync(BackupKeys.State(name), change, cancellationToken) is { } updated)
            {
                return updated;
            }

            var created = change(new PostgresBackupState { Cluster = name });
            if (await store.CreateAsync(BackupKeys.State(name), created, cancellationToken))
            {
                return created;
            }
        }

        throw new HangarException(ErrorCodes.Conflict, $"too many concurrent changes to the backup state of '{name}'; try again");
    }

    private static JsonObject ArchivePatch(string stanza, bool enabled) => new()
    {
        ["postgresql"] = new JsonObject
        {
            ["parameters"] = new JsonObject
            {
                ["archive_mode"] = "on",
                ["archive_command"] = enabled ? PgBackRestConfig.ArchiveCommand(stanza) : PgBackRestConfig.DisabledArchiveCommand,
                ["archive_timeout"] = enabled ? PgBackRestConfig.ArchiveTimeout : "0",
            },
            // Replicas that fall behind wal_keep_size fetch the WAL from the repository instead of being rebuilt.
            ["recovery_conf"] = enabled ? new JsonObject { ["restore_command"] = PgBackRestConfig.RestoreCommand(stanza) } : null,
        },
    };
}
