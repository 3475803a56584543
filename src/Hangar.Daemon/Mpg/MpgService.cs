using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Ids;
using Hangar.Core.Names;
using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Postgres;
using Hangar.Daemon.Postgres.Backups;
using Hangar.Daemon.Reconcile;
using Hangar.Daemon.Volumes;
using Hangar.Postgres.Config;
using Hangar.Postgres.Connections;
using Hangar.Postgres.Pooling;
using Hangar.State;
using Hangar.Supervision;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Mpg;

/// <summary>
/// The `mpg` verbs: a layer over the Postgres service, never a copy of it. A managed cluster is the Postgres cluster
/// of the same name (made, attached, configured, failed over and backed up by the Postgres services) plus the
/// PgBouncer the mpg reconciler runs in front of its cluster port. Create records the mpg first, so a failure or a
/// killed daemon at any point leaves a record whose reconciler removes both halves.
/// </summary>
internal sealed partial class MpgService(
    RecordStore store,
    PostgresService postgres,
    PostgresBackupService backups,
    MpgRuntime runtime,
    AttachmentService attachments,
    Supervisor supervisor,
    ILoggerFactory loggers,
    TimeProvider time)
{
    public const string PreparedStatements =
        "PgBouncer pools in transaction mode and does not keep prepared statements across transactions: use the "
        + "driver's unnamed/simple mode on DATABASE_URL (Npgsql: Max Auto Prepare=0 and no Prepare(); node-postgres: no "
        + "`name` on queries; psycopg 3: prepare_threshold=None; pgx: default_query_exec_mode=exec or simple_protocol; "
        + "Prisma: ?pgbouncer=true; Rails: prepared_statements: false). Migrations, advisory locks and LISTEN/NOTIFY "
        + "go to DIRECT_DATABASE_URL.";

    private static readonly TimeSpan CreateLimit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan DestroyLimit = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan ApplyLimit = TimeSpan.FromSeconds(30);
    private readonly ILogger _logger = loggers.CreateLogger<MpgService>();
    private readonly RecordWait _wait = new(store, time);

    public async Task<MpgCreated> CreateAsync(MpgCreateRequest request, CancellationToken cancellationToken)
    {
        var plan = MpgPlans.Find(request.Plan ?? MpgPlans.Default);
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("cluster", request.Name));
        problems.Check(request.Name.Length <= PostgresKeys.MaxNameLength, $"invalid cluster name '{request.Name}': at most {PostgresKeys.MaxNameLength} characters");
        problems.Add(request.Region is null ? null : ResourceNames.Problem("region", request.Region));
        problems.Check(plan is not null, $"invalid --plan '{request.Plan}': one of {MpgPlans.Names}");
        problems.Range("--volume-size", request.VolumeSizeGb, VolumeService.MinSizeGb, VolumeService.MaxSizeGb);
        problems.ThrowIfAny();

        var name = request.Name;
        if (await store.Inner.GetAsync(PostgresKeys.Cluster(name), cancellationToken) is not null)
        {
            throw HangarException.Exists("postgres cluster", name);
        }

        var mpg = NewRecord(name, plan!);
        if (!await store.CreateAsync(MpgKeys.Cluster(name), mpg, cancellationToken))
        {
            throw HangarException.Exists("mpg cluster", name);
        }

        PostgresCreated cluster;
        try
        {
            cluster = await postgres.CreateAsync(
                new PostgresCreateRequest
                {
                    Name = name,
                    Region = request.Region,
                    Preset = plan!.Nodes > 1 ? PostgresService.Production : PostgresService.Development,
                    InitialClusterSize = plan.Nodes,
                    Synchronous = plan.Nodes > 1,
                    VolumeSizeGb = request.VolumeSizeGb ?? plan.VolumeSizeGb,
                    EnableBackups = true,
                    EnablePostgis = request.EnablePostgis,
                },
                restore: null,
                Parameters(plan),
                cancellationToken);
        }
        catch
        {
            await AbandonAsync(name);
            throw;
        }

        var done = await WaitRunningAsync(name, cancellationToken);
        Log.Created(_logger, name, plan.Name, done.PoolPort ?? 0);
        return Created(done, cluster);
    }

    /// <summary>`mpg restore`: a new managed cluster (the source's plan and pool) from the source's backups.</summary>
    public async Task<MpgCreated> RestoreAsync(string name, MpgRestoreRequest request, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("cluster", request.NewName));
        problems.Check(request.BackupId is null || request.PitrTime is null, "--backup-id and --pitr-time cannot go together");
        problems.Check(request.PitrTime is null || DateTimeOffset.TryParse(request.PitrTime, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _),
            $"invalid --pitr-time '{request.PitrTime}': an RFC 3339 time such as 2026-01-02T15:04:05Z");
        problems.ThrowIfAny();
        var source = await RequireAsync(name, cancellationToken);
        if (await store.Inner.GetAsync(PostgresKeys.Cluster(request.NewName), cancellationToken) is not null)
        {
            throw HangarException.Exists("postgres cluster", request.NewName);
        }

        var plan = MpgPlans.Find(source.Plan) ?? MpgPlans.Find(MpgPlans.Default)!;
        var mpg = NewRecord(request.NewName, plan) with { PoolSize = source.PoolSize, PoolMode = source.PoolMode, MaxConnections = source.MaxConnections };
        if (!await store.CreateAsync(MpgKeys.Cluster(request.NewName), mpg, cancellationToken))
        {
            throw HangarException.Exists("mpg cluster", request.NewName);
        }

        PostgresCreated cluster;
        try
        {
            cluster = await backups.RestoreAsync(name, new PostgresBackupRestoreRequest { NewName = request.NewName, BackupId = request.BackupId, RestoreTargetTime = request.PitrTime }, cancellationToken);
        }
        catch
        {
            await AbandonAsync(request.NewName);
            throw;
        }

        var done = await WaitRunningAsync(request.NewName, cancellationToken);
        Log.Restored(_logger, name, request.NewName);
        return Created(done, cluster);
    }

    public async Task<IReadOnlyList<MpgInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await store.ListAsync<MpgRecord>(MpgKeys.Prefix, cancellationToken);
        var clusters = (await store.ListAsync<PostgresRecord>(PostgresKeys.Prefix, cancellationToken)).ToDictionary(c => c.Value.Name, c => c.Value, StringComparer.Ordinal);
        var attached = (await store.ListAsync<AttachmentRecord>(StoreKeys.Attachments, cancellationToken)).Select(a => a.Value).Where(a => a.Kind == PostgresKeys.Kind).ToList();
        return [.. all.Select(r => r.Value).OrderBy(r => r.CreatedAt).Select(r => Info(r, clusters.GetValueOrDefault(r.Name), attached))];
    }

    public async Task<MpgStatusInfo> StatusAsync(string name, CancellationToken cancellationToken)
    {
        var mpg = await RequireAsync(name, cancellationToken);
        var cluster = await postgres.StatusAsync(name, cancellationToken);
        var record = await postgres.FindAsync(name, cancellationToken);
        var process = supervisor.Status(MpgKeys.PoolProcess(name));
        var status = new MpgStatusInfo
        {
            Cluster = Info(mpg, record, [.. cluster.Cluster.Apps.Select(a => new AttachmentRecord(a, PostgresKeys.Kind, name, [], mpg.CreatedAt))]),
            Postgres = cluster,
            PoolState = process?.State.ToString().ToLowerInvariant() ?? "not supervised",
            PoolPid = process?.Pid,
            PoolRestarts = process?.Restarts ?? 0,
        };
        if (mpg.PoolPort is null || record is null || process is not { Ready: true })
        {
            return status;
        }

        try
        {
            var console = runtime.Console(mpg);
            var pools = await console.RunAsync("SHOW POOLS", TimeSpan.FromSeconds(5), cancellationToken);
            var servers = await console.RunAsync("SHOW SERVERS", TimeSpan.FromSeconds(5), cancellationToken);
            var owners = await postgres.BackendNodesAsync(record, [.. servers.Select(BackendPid).OfType<int>()], cancellationToken);
            return status with
            {
                // SHOW POOLS: database, user, cl_active, cl_waiting, ...; the console's own pool counts too.
                ClientsActive = pools.Where(p => p.Length > 3 && p[0] != "pgbouncer").Sum(p => int.TryParse(p[2], out var n) ? n : 0),
                ClientsWaiting = pools.Where(p => p.Length > 3 && p[0] != "pgbouncer").Sum(p => int.TryParse(p[3], out var n) ? n : 0),
                Servers = [.. servers.Where(s => s.Length > 3).Select(s => new MpgPoolServer(s[2], s[1], s[3], BackendPid(s), BackendPid(s) is { } pid ? owners.GetValueOrDefault(pid) : null))],
            };
        }
        catch (InvalidOperationException ex)
        {
            return status with { PoolUnreachable = ex.Message };
        }
    }

    /// <summary>`mpg connect`/`proxy`: the superuser through the pool.</summary>
    public async Task<PostgresConnectInfo> ConnectInfoAsync(string name, CancellationToken cancellationToken)
    {
        var mpg = await RequireRunningAsync(name, cancellationToken);
        var direct = await postgres.ConnectInfoAsync(name, cancellationToken);
        return direct with { Port = mpg.PoolPort!.Value };
    }

    public async Task DestroyAsync(string name, CancellationToken cancellationToken)
    {
        await RequireAsync(name, cancellationToken);
        var attached = await attachments.OfResourceAsync(PostgresKeys.Kind, name, cancellationToken);
        if (attached.Count > 0)
        {
            throw HangarException.Precondition($"mpg cluster '{name}' is attached to {string.Join(", ", attached.Select(a => "app '" + a.App + "'").Distinct())}: detach it first");
        }

        await store.MutateAsync<MpgRecord>(MpgKeys.Cluster(name), r => r with { Phase = MpgPhase.Destroying }, cancellationToken);
        await _wait.UntilAsync<MpgRecord>(MpgKeys.Cluster(name), r => r is null, DestroyLimit, Busy, cancellationToken);
        Log.Destroyed(_logger, name);
    }

    private MpgRecord NewRecord(string name, MpgPlan plan) => new()
    {
        Name = name,
        Plan = plan.Name,
        CreatedAt = time.GetUtcNow(),
        PoolSize = plan.PoolSize,
        PoolMode = PgBouncerConfig.Transaction,
        MaxClientConnections = plan.MaxClientConnections,
        MaxConnections = plan.MaxConnections,
        AdminPasswordCiphertext = runtime.EncryptAdminPassword(name, Passwords.New()),
    };

    private static Dictionary<string, string> Parameters(MpgPlan plan) => new(StringComparer.Ordinal)
    {
        ["max_connections"] = plan.MaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["shared_buffers"] = MpgPlans.SharedBuffersMb(plan, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes).ToString(System.Globalization.CultureInfo.InvariantCulture) + "MB",
    };

    private async Task<MpgRecord> WaitRunningAsync(string name, CancellationToken cancellationToken) =>
        await _wait.CreatedAsync<MpgRecord>(
            MpgKeys.Cluster(name),
            r => r.Phase == MpgPhase.Pending,
            r => r.Phase == MpgPhase.Failed ? r.Error ?? $"mpg cluster '{name}' could not be created" : null,
            r => r with { Phase = MpgPhase.Destroying },
            CreateLimit,
            Busy,
            () => HangarException.NotFound("mpg cluster", name),
            cancellationToken);

    /// <summary>A create that failed: the reconciler removes the pool and whatever of the cluster is left.</summary>
    private async Task AbandonAsync(string name) =>
        await store.MutateAsync<MpgRecord>(MpgKeys.Cluster(name), r => r with { Phase = MpgPhase.Destroying }, CancellationToken.None);

    private MpgCreated Created(MpgRecord mpg, PostgresCreated cluster)
    {
        var pooled = ConnectionStrings.Url(cluster.Username, cluster.Password, runtime.Host, mpg.PoolPort!.Value, "postgres");
        return new MpgCreated(Info(mpg, null, []) with { ClusterPort = cluster.ProxyPort, Nodes = cluster.Cluster.NodeCount, VolumeSizeGb = cluster.Cluster.VolumeSizeGb, Region = cluster.Cluster.Region },
            cluster.Username, cluster.Password, pooled, cluster.ConnectionString);
    }

    private MpgInfo Info(MpgRecord r, PostgresRecord? cluster, IReadOnlyList<AttachmentRecord> attached) => new()
    {
        Name = r.Name,
        Region = cluster?.Region ?? string.Empty,
        Phase = r.Phase == MpgPhase.Running && cluster is { Phase: not PostgresPhase.Running } ? cluster.Phase.ToString().ToLowerInvariant() : r.Phase.ToString().ToLowerInvariant(),
        Plan = r.Plan,
        Host = runtime.Host,
        PoolPort = r.PoolPort,
        ClusterPort = cluster?.ProxyPort,
        Nodes = cluster?.NodeCount ?? 0,
        VolumeSizeGb = cluster?.VolumeSizeGb ?? 0,
        MaxConnections = r.MaxConnections,
        PoolSize = r.PoolSize,
        PoolMode = r.PoolMode,
        MaxClientConnections = r.MaxClientConnections,
        Apps = [.. attached.Where(a => a.Name == r.Name).Select(a => a.App).Distinct(StringComparer.Ordinal)],
        CreatedAt = r.CreatedAt,
        Error = r.Error ?? cluster?.Error,
    };

    // SHOW SERVERS: type, user, database, state, addr, port, local_addr, local_port, connect_time, request_time, wait,
    // wait_us, close_needed, ptr, link, remote_pid, ...
    private static int? BackendPid(string[] row) => row.Length > 15 && int.TryParse(row[15], out var pid) && pid > 0 ? pid : null;

    private async Task<MpgRecord> RequireAsync(string name, CancellationToken cancellationToken)
    {
        if (ResourceNames.Problem("cluster", name) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        return await store.RequireAsync<MpgRecord>(MpgKeys.Cluster(name), "mpg cluster", name, cancellationToken);
    }

    private async Task<MpgRecord> RequireRunningAsync(string name, CancellationToken cancellationToken)
    {
        var mpg = await RequireAsync(name, cancellationToken);
        return mpg.RequirePhase(mpg.Phase, MpgPhase.Running, "mpg cluster", name);
    }

    private static string Busy(MpgRecord? r) =>
        $"mpg cluster '{r?.Name}' is still {r?.Phase.ToString().ToLowerInvariant()}{(r?.Step is { } step ? " (" + step + ")" : string.Empty)}";

    private static partial class Log
    {
        [LoggerMessage(6320, LogLevel.Information, "mpg {Name}: created on plan {Plan}, pool on port {Port}")]
        public static partial void Created(ILogger logger, string name, string plan, int port);

        [LoggerMessage(6321, LogLevel.Information, "mpg {Name}: restored into {NewName}")]
        public static partial void Restored(ILogger logger, string name, string newName);

        [LoggerMessage(6322, LogLevel.Information, "mpg {Name}: destroyed on request")]
        public static partial void Destroyed(ILogger logger, string name);

        [LoggerMessage(6323, LogLevel.Information, "mpg {Name}: pool settings now pool size {PoolSize}, {PoolMode} pooling, max_connections {MaxConnections}")]
        public static partial void PoolUpdated(ILogger logger, string name, int poolSize, string poolMode, int maxConnections);
    }
}
