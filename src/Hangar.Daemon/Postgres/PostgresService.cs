using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Names;
using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Reconcile;
using Hangar.Daemon.Secrets;
using Hangar.Daemon.Volumes;
using Hangar.Postgres.Admin;
using Hangar.Postgres.Config;
using Hangar.Postgres.Connections;
using Hangar.State;
using Hangar.Supervision;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// The `postgres` verbs. Create, scale and destroy write desired state and wait for the reconciler to move the
/// record's phase; attach, detach, db and users go through the admin role on the leader (<c>.Attach.cs</c>);
/// failover, restart and config are operations of Hangar.Postgres run against the cluster (<c>.Operations.cs</c>).
/// Secrets (the superuser password, app passwords) leave only in the create answer, the app's secret and `connect`;
/// never in logs, lists or errors.
/// </summary>
internal sealed partial class PostgresService(
    RecordStore store,
    PostgresRuntime runtime,
    AttachmentService attachments,
    AppService apps,
    Supervisor supervisor,
    Autostop.PostgresAutostop autostop,
    DaemonOptions options,
    ILoggerFactory loggers,
    TimeProvider time)
{
    public const string DefaultVariable = "DATABASE_URL";

    /// <summary>The platform CA's path, under libpq's name, set beside DATABASE_URL on attach.</summary>
    public const string RootCertificateVariable = "PGSSLROOTCERT";
    public const string Development = "development";
    public const string Production = "production";
    public const string Custom = "custom";
    public const int MinNodes = 1;
    public const int MaxNodes = 5;

    private static readonly TimeSpan ScaleLimit = TimeSpan.FromMinutes(5);

    // A create passes through up to three waiting sub-phases, each with the reconciler's own limit.
    private static readonly TimeSpan CreateLimit = TimeSpan.FromMinutes(6);
    private readonly ILogger _logger = loggers.CreateLogger<PostgresService>();
    private readonly RecordWait _wait = new(store, time);

    public Task<PostgresCreated> CreateAsync(PostgresCreateRequest request, CancellationToken cancellationToken) =>
        CreateAsync(request, restore: null, cancellationToken);

    /// <summary>Create; with <paramref name="restore"/> (checked by the backup service) the first node starts from that restore.</summary>
    public Task<PostgresCreated> CreateAsync(PostgresCreateRequest request, PostgresRestoreSource? restore, CancellationToken cancellationToken) =>
        CreateAsync(request, restore, parameters: null, cancellationToken);

    /// <summary>Create with cluster-wide <paramref name="parameters"/> from the start (an mpg plan's), checked by the caller.</summary>
    public async Task<PostgresCreated> CreateAsync(PostgresCreateRequest request, PostgresRestoreSource? restore, IReadOnlyDictionary<string, string>? parameters, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("cluster", request.Name));
        problems.Check(request.Name.Length <= PostgresKeys.MaxNameLength, $"invalid cluster name '{request.Name}': at most {PostgresKeys.MaxNameLength} characters");
        problems.Add(request.Region is null ? null : ResourceNames.Problem("region", request.Region));
        problems.Check(request.Preset is null or Development or Production, $"invalid preset '{request.Preset}': development or production");
        problems.Range("--initial-cluster-size", request.InitialClusterSize, MinNodes, MaxNodes);
        problems.Range("--volume-size", request.VolumeSizeGb, VolumeService.MinSizeGb, VolumeService.MaxSizeGb);
        problems.Add(request.Password is null ? null : ScramVerifier.Problem("--password", request.Password));
        problems.Check(request.Password is null || request.Password.Length >= 8, "invalid --password: at least 8 characters");
        problems.Check(request.SnapshotId is null || request.ForkFrom is null, "--snapshot-id and --fork-from cannot go together");
        problems.Check(request.SnapshotId is null || Hangar.Core.Ids.ResourceIds.IsValid(request.SnapshotId, Hangar.Core.Ids.ResourceIds.SnapshotPrefix),
            $"invalid --snapshot-id '{request.SnapshotId}': snapshot ids look like vs_xxxxxxxx");
        problems.Add(request.ForkFrom is null ? null : ResourceNames.Problem("--fork-from cluster", request.ForkFrom));
        problems.Check(request.ForkFrom is null || request.ForkFrom != request.Name, "--fork-from must name another cluster");
        problems.Range("--backup-retention", request.BackupRetentionDays, 1, 365);

        // Off a TTY the CLI sends no preset: more than one node means the production shape (synchronous), one the development one.
        var production = request.Preset == Production || (request.Preset is null && request.InitialClusterSize > 1);
        var nodes = request.InitialClusterSize ?? (production ? 3 : 1);
        var idleLimit = request.Autostop is { } autostopText ? Autostop.PostgresAutostop.Parse(autostopText, problems) : null;
        problems.Check(request.Autostop is null || nodes <= 1,
            $"invalid --autostop with {nodes} nodes: scale to zero is for a single-node cluster (--initial-cluster-size 1, the development preset)");
        problems.ThrowIfAny();

        var synchronous = request.Synchronous ?? (production && nodes > 1);
        var preset = (production, nodes, synchronous) switch
        {
            (true, 3, true) => Production,
            (false, 1, false) => Development,
            _ => Custom,
        };

        if (request.ForkFrom is { } source && (await store.GetAsync<PostgresRecord>(PostgresKeys.Cluster(source), cancellationToken))?.Value is not { Phase: PostgresPhase.Running })
        {
            throw HangarException.Precondition($"--fork-from cluster '{source}' does not exist or is not running");
        }

        var volumeSize = request.VolumeSizeGb ?? (production ? 10 : 1);
        if (request.SnapshotId is { } snapshotId)
        {
            var snapshot = (await store.GetAsync<SnapshotRecord>(StoreKeys.Snapshot(snapshotId), cancellationToken))?.Value;
            if (snapshot is not { Ready: true })
            {
                throw HangarException.NotFound("snapshot", snapshotId);
            }

            if (request.VolumeSizeGb is { } asked && asked < snapshot.VolumeSizeGb)
            {
                throw HangarException.Invalid($"invalid --volume-size {asked}: snapshot {snapshotId} needs at least {snapshot.VolumeSizeGb} GB");
            }

            volumeSize = Math.Max(volumeSize, snapshot.VolumeSizeGb);
        }

        var name = request.Name;
        var generated = PatroniCredentials.Generate();
        var credentials = request.Password is { } password ? generated with { SuperuserPassword = password } : generated;
        var cluster = new PostgresRecord
        {
            Name = name,
            Region = request.Region ?? options.Region,
            CreatedAt = time.GetUtcNow(),
            Preset = preset,
            NodeCount = nodes,
            VolumeSizeGb = volumeSize,
            Synchronous = synchronous,
            CredentialsCiphertext = runtime.EncryptCredentials(name, credentials),
            CertificateCiphertext = runtime.EncryptCertificate(name, runtime.NewCertificate(name)),
            EnablePostgis = request.EnablePostgis,
            AutostopSeconds = idleLimit is { } idle ? (int)idle.TotalSeconds : null,
            SnapshotId = request.SnapshotId,
            ForkFrom = request.ForkFrom,
            Restore = restore,
            Parameters = parameters,
            Backups = request.EnableBackups ?? preset == Production
                ? new PostgresBackupSettings
                {
                    Enabled = true,
                    RetentionDays = request.BackupRetentionDays ?? PostgresBackupSettings.DefaultRetentionDays,
                    Epoch = 1,
                    Generation = await Backups.BackupGenerations.NextAsync(store, name, cancellationToken),
                }
                : null,
        };
        if (!await store.CreateAsync(PostgresKeys.Cluster(name), cluster, cancellationToken))
        {
            throw HangarException.Exists("postgres cluster", name);
        }

        var done = await _wait.CreatedAsync<PostgresRecord>(
            PostgresKeys.Cluster(name),
            r => r.Phase == PostgresPhase.Pending,
            r => r.Phase == PostgresPhase.Failed ? r.Error ?? $"postgres cluster '{name}' could not be created" : null,
            r => r with { Phase = PostgresPhase.Destroying },
            CreateLimit,
            Busy,
            () => HangarException.NotFound("postgres cluster", name),
            cancellationToken);

        var (state, _) = await runtime.ClusterStateAsync(done, cancellationToken);
        var leader = done.Nodes.FirstOrDefault(n => n.Name == state?.Leader?.Name) ?? done.Nodes[0];
        var url = ConnectionStrings.Url(PatroniCredentials.SuperuserName, credentials.SuperuserPassword, runtime.Host, done.ProxyPort!.Value, "postgres");
        Log.Created(_logger, name, done.Nodes.Count, done.Synchronous);
        return new PostgresCreated(Info(done), PatroniCredentials.SuperuserName, credentials.SuperuserPassword, runtime.Host, done.ProxyPort.Value, leader.PgPort, url);
    }

    public async Task<IReadOnlyList<PostgresClusterInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await store.ListAsync<PostgresRecord>(PostgresKeys.Prefix, cancellationToken);
        var attached = (await store.ListAsync<AttachmentRecord>(StoreKeys.Attachments, cancellationToken)).Select(a => a.Value).Where(a => a.Kind == PostgresKeys.Kind).ToList();
        return [.. all.Select(r => r.Value).OrderBy(r => r.CreatedAt).Select(r => Info(r, attached))];
    }

    public async Task<PostgresRecord?> FindAsync(string name, CancellationToken cancellationToken) =>
        ResourceNames.IsValid(name) ? (await store.GetAsync<PostgresRecord>(PostgresKeys.Cluster(name), cancellationToken))?.Value : null;

    public async Task<PostgresStatusInfo> StatusAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireAsync(name, cancellationToken);
        var (state, error) = cluster.Nodes.Count == 0 ? (null, "no nodes yet") : await runtime.ClusterStateAsync(cluster, cancellationToken);
        var nodes = cluster.Nodes.OrderBy(n => n.Ordinal).Select(n =>
        {
            var member = state?.Members.FirstOrDefault(m => m.Name == n.Name);
            var process = supervisor.Status(PostgresKeys.NodeProcess(cluster.Name, n.Ordinal));
            return new PostgresNodeInfo(
                n.Name,
                member?.Role ?? "unknown",
                member?.State ?? (state is null ? "unknown" : "not a member"),
                member?.IsLeader == true ? 0 : member?.LagBytes,
                member?.Timeline,
                member?.PendingRestart ?? false,
                n.VolumeId,
                n.PgPort,
                n.RestPort,
                process?.State.ToString().ToLowerInvariant() ?? "not supervised",
                process?.Pid,
                process?.Adopted ?? false,
                process?.Restarts ?? 0);
        }).ToList();
        var proxy = supervisor.Status(PostgresKeys.ProxyProcess(cluster.Name));
        var proxyStatus = runtime.ProxyStatus(cluster.Name);
        var attached = await attachments.OfResourceAsync(PostgresKeys.Kind, name, cancellationToken);
        return new PostgresStatusInfo
        {
            Cluster = Info(cluster, attached),
            Leader = state?.Leader?.Name,
            Nodes = nodes,
            ProxyState = proxy?.State.ToString().ToLowerInvariant() ?? "not supervised",
            ProxyPid = proxy?.Pid,
            ProxyLeader = proxyStatus?.Leader,
            ProxyActiveConnections = proxyStatus?.ActiveConnections,
            Unreachable = state is null ? error : null,
        };
    }

    public async Task<PostgresConnectInfo> ConnectInfoAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        return new PostgresConnectInfo(runtime.Host, cluster.ProxyPort!.Value, PatroniCredentials.SuperuserName, runtime.Credentials(cluster).SuperuserPassword);
    }

    public async Task<PostgresStatusInfo> ScaleAsync(string name, int count, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("cluster", name));
        problems.Range("count", count, MinNodes, MaxNodes);
        problems.ThrowIfAny();
        var running = await RequireRunningAsync(name, cancellationToken);
        if (running.AutostopSeconds is not null && count > 1)
        {
            throw HangarException.Invalid($"invalid count {count} for postgres cluster '{name}': it scales to zero (--autostop), which needs a single node");
        }

        var updated = await store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster(name), r => r.NodeCount == count ? null : r with { NodeCount = count, Generation = r.Generation + 1 }, cancellationToken)
            ?? throw HangarException.NotFound("postgres cluster", name);
        await _wait.UntilAsync<PostgresRecord>(PostgresKeys.Cluster(name), r => r is null || (r.AppliedGeneration >= updated.Generation && r.Nodes.Count == count), ScaleLimit, Busy, cancellationToken);
        return await StatusAsync(name, cancellationToken);
    }

    public async Task DestroyAsync(string name, bool force, bool purgeBackups, CancellationToken cancellationToken)
    {
        var cluster = await RequireAsync(name, cancellationToken);
        var attached = await attachments.OfResourceAsync(PostgresKeys.Kind, name, cancellationToken);
        if (attached.Count > 0 && !force)
        {
            throw HangarException.Precondition($"postgres cluster '{name}' is attached to {string.Join(", ", attached.Select(a => "app '" + a.App + "'"))}: detach it first, or pass --force");
        }

        if (cluster.Backups is { } backups)
        {
            // Before the record goes: the repository outlives the cluster for its retention (at once with --purge-backups:
            // the scheduler removes it), and a cluster re-created under the name starts with a state of its own.
            var now = time.GetUtcNow();
            var state = (await store.GetAsync<PostgresBackupState>(BackupKeys.State(name), cancellationToken))?.Value;
            var kept = new PostgresDeletedBackups
            {
                Cluster = name,
                Generation = backups.Generation,
                DeletedAt = now,
                KeepUntil = purgeBackups ? now : now.AddDays(backups.RetentionDays),
                Source = cluster with { Phase = PostgresPhase.Destroying },
                RestorePoints = state?.RestorePoints ?? [],
            };
            if (!await store.CreateAsync(BackupKeys.Deleted(name, backups.Generation), kept, cancellationToken))
            {
                // A destroy asked again (the first one's answer lost): the later decision holds.
                await store.MutateAsync<PostgresDeletedBackups>(BackupKeys.Deleted(name, backups.Generation), _ => kept, cancellationToken);
            }
        }

        await store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster(name), r => r with { Phase = PostgresPhase.Destroying }, cancellationToken);
        await _wait.UntilAsync<PostgresRecord>(PostgresKeys.Cluster(name), r => r is null, TimeSpan.FromMinutes(3), Busy, cancellationToken);
        if (cluster.Backups is not null)
        {
            await store.Inner.DeleteAsync(BackupKeys.State(name), cancellationToken);
        }

        Log.DestroyRequested(_logger, name);
    }

    /// <summary>vm, pg and role per node (Fly's three); null when there is no such cluster.</summary>
    private PostgresAdmin Admin(PostgresRecord cluster) => new(runtime.AdminConnectionString(cluster), loggers.CreateLogger<PostgresAdmin>());

    private static async Task<T> AdminCallAsync<T>(PostgresRecord cluster, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (NpgsqlException ex)
        {
            // Npgsql's messages carry no password; the connection string never reaches them.
            throw new HangarException(ErrorCodes.Unavailable, $"postgres cluster '{cluster.Name}': {ex.Message}");
        }
    }

    /// <summary>A cluster just made, so attached to nothing yet.</summary>
    private PostgresClusterInfo Info(PostgresRecord r) => Info(r, []);

    private PostgresClusterInfo Info(PostgresRecord r, IReadOnlyList<AttachmentRecord> attached) => new(
        r.Name,
        r.Region,
        r.Suspended && r.Phase == PostgresPhase.Running ? Autostop.PostgresAutostop.SuspendedState : r.Phase.ToString().ToLowerInvariant(),
        r.Preset,
        runtime.Host,
        r.ProxyPort,
        r.NodeCount,
        r.Synchronous,
        r.VolumeSizeGb,
        [.. attached.Where(a => a.Name == r.Name).Select(a => a.App).Distinct(StringComparer.Ordinal)],
        r.CreatedAt,
        r.Error);

    private async Task<PostgresRecord> RequireAsync(string name, CancellationToken cancellationToken)
    {
        if (ResourceNames.Problem("cluster", name) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        return await store.RequireAsync<PostgresRecord>(PostgresKeys.Cluster(name), "postgres cluster", name, cancellationToken);
    }

    private async Task<PostgresRecord> RequireRunningAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireAsync(name, cancellationToken);
        cluster.RequirePhase(cluster.Phase, PostgresPhase.Running, "postgres cluster", name);

        // A suspended cluster (autostop) is started for whatever needs it, as a connection would start it.
        return cluster.Suspended ? await autostop.WakeAsync(cluster, cancellationToken) : cluster;
    }

    private static string Busy(PostgresRecord? r) =>
        $"postgres cluster '{r?.Name}' is still {r?.Phase.ToString().ToLowerInvariant()}{(r?.Step is { } step ? " (" + step + ")" : string.Empty)}";

    private static partial class Log
    {
        [LoggerMessage(6040, LogLevel.Information, "postgres {Name}: created with {Nodes} node(s), synchronous {Synchronous}")]
        public static partial void Created(ILogger logger, string name, int nodes, bool synchronous);

        [LoggerMessage(6041, LogLevel.Information, "postgres {Name}: attached to app {App} (database {Database}, user {User})")]
        public static partial void Attached(ILogger logger, string name, string app, string database, string user);

        [LoggerMessage(6042, LogLevel.Information, "postgres {Name}: detached from app {App} (role dropped, database kept)")]
        public static partial void Detached(ILogger logger, string name, string app);


        [LoggerMessage(6045, LogLevel.Information, "postgres {Name}: dynamic configuration set: {Parameters} (checked against {Rules})")]
        public static partial void ConfigUpdated(ILogger logger, string name, string parameters, string rules);


        [LoggerMessage(6046, LogLevel.Information, "postgres {Name}: destroyed on request")]
        public static partial void DestroyRequested(ILogger logger, string name);
    }
}
