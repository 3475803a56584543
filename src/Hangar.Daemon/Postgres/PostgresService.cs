using System.Diagnostics;
using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Names;
using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Secrets;
using Hangar.Daemon.Volumes;
using Hangar.Postgres.Admin;
using Hangar.Postgres.Config;
using Hangar.Postgres.Connections;
using Hangar.Postgres.Rest;
using Hangar.Postgres.Settings;
using Hangar.State;
using Hangar.Supervision;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// The `postgres` verbs. Create, scale and destroy write desired state and wait for <see cref="PostgresReconciler"/>;
/// attach, detach, db and users go through the admin role on the leader (via the cluster port); failover, restart
/// and config drive Patroni's REST API. Secrets (the superuser password, app passwords) leave only in the create
/// answer, the app's secret and `connect`; never in logs, lists or errors.
/// </summary>
internal sealed partial class PostgresService(
    RecordStore store,
    PostgresReconciler reconciler,
    PostgresRuntime runtime,
    AttachmentService attachments,
    AppService apps,
    Supervisor supervisor,
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
    private static readonly TimeSpan SwitchoverLimit = TimeSpan.FromSeconds(60);
    private readonly ILogger _logger = loggers.CreateLogger<PostgresService>();

    public Task<PostgresCreated> CreateAsync(PostgresCreateRequest request, CancellationToken cancellationToken) =>
        CreateAsync(request, restore: null, cancellationToken);

    /// <summary>Create; with <paramref name="restore"/> (checked by the backup service) the first node starts from that restore.</summary>
    public async Task<PostgresCreated> CreateAsync(PostgresCreateRequest request, PostgresRestoreSource? restore, CancellationToken cancellationToken)
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
        problems.ThrowIfAny();

        // Off a TTY the CLI sends no preset: more than one node means the production shape (synchronous), one the development one.
        var production = request.Preset == Production || (request.Preset is null && request.InitialClusterSize > 1);
        var nodes = request.InitialClusterSize ?? (production ? 3 : 1);
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
            SnapshotId = request.SnapshotId,
            ForkFrom = request.ForkFrom,
            Restore = restore,
            Backups = request.EnableBackups ?? preset == Production
                ? new PostgresBackupSettings { Enabled = true, RetentionDays = request.BackupRetentionDays ?? PostgresBackupSettings.DefaultRetentionDays, Epoch = 1 }
                : null,
        };
        if (!await store.CreateAsync(PostgresKeys.Cluster(name), cluster, cancellationToken))
        {
            throw HangarException.Exists("postgres cluster", name);
        }

        reconciler.Trigger.Poke();
        var done = await WaitAsync(name, r => r is null || r.Phase != PostgresPhase.Pending, PostgresReconciler.CreateLimit + TimeSpan.FromMinutes(1), cancellationToken);
        if (done is { Phase: PostgresPhase.Failed })
        {
            // The reconciler already removed processes, volumes and ports; the record goes too.
            await store.Inner.DeleteAsync(PostgresKeys.Cluster(name), cancellationToken);
            throw HangarException.Precondition(done.Error ?? $"postgres cluster '{name}' could not be created");
        }

        if (done is null)
        {
            throw HangarException.NotFound("postgres cluster", name);
        }

        var (state, _) = await runtime.ClusterStateAsync(done, cancellationToken);
        var leader = done.Nodes.FirstOrDefault(n => n.Name == state?.Leader?.Name) ?? done.Nodes[0];
        var url = ConnectionStrings.Url(PatroniCredentials.SuperuserName, credentials.SuperuserPassword, runtime.Host, done.ProxyPort!.Value, "postgres");
        Log.Created(_logger, name, done.Nodes.Count, done.Synchronous);
        return new PostgresCreated(Info(done), PatroniCredentials.SuperuserName, credentials.SuperuserPassword, runtime.Host, done.ProxyPort.Value, leader.PgPort, url);
    }

    public async Task<IReadOnlyList<PostgresClusterInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await store.ListAsync<PostgresRecord>(PostgresKeys.Prefix, cancellationToken);
        return [.. all.Select(r => r.Value).OrderBy(r => r.CreatedAt).Select(Info)];
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
        return new PostgresStatusInfo
        {
            Cluster = Info(cluster),
            Leader = state?.Leader?.Name,
            Nodes = nodes,
            ProxyState = proxy?.State.ToString().ToLowerInvariant() ?? "not supervised",
            ProxyPid = proxy?.Pid,
            ProxyLeader = proxyStatus?.Leader,
            ProxyActiveConnections = proxyStatus?.Active,
            Unreachable = state is null ? error : null,
        };
    }

    public async Task<PostgresConnectInfo> ConnectInfoAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        return new PostgresConnectInfo(runtime.Host, cluster.ProxyPort!.Value, PatroniCredentials.SuperuserName, runtime.Credentials(cluster).SuperuserPassword);
    }

    public async Task<PostgresAttached> AttachAsync(string name, PostgresAttachRequest request, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("cluster", name));
        problems.Add(ResourceNames.Problem("app", request.App));
        var database = request.DatabaseName ?? (ResourceNames.IsValid(request.App) ? PostgresNames.FromAppName(request.App) : null);
        var user = request.DatabaseUser ?? (ResourceNames.IsValid(request.App) ? PostgresNames.FromAppName(request.App) : null);
        var variable = request.VariableName ?? DefaultVariable;
        problems.Add(database is null ? null : PostgresNames.Problem("--database-name", database));
        problems.Add(user is null ? null : PostgresNames.Problem("--database-user", user));
        problems.Check(SecretService.IsValidName(variable), $"invalid --variable-name '{variable}': {SecretService.NameRule}");
        problems.ThrowIfAny();

        var cluster = await RequireRunningAsync(name, cancellationToken);
        await apps.RequireAsync(request.App, cancellationToken);
        // Several attachments of one cluster to one app are told apart by their variable (OLD_/NEW_DATABASE_URL).
        if (cluster.Attachments.Any(a => a.App == request.App && a.Variable == variable)
            || (await attachments.OfResourceAsync(PostgresKeys.Kind, name, cancellationToken)).Any(a => a.App == request.App && a.Variables.Contains(variable)))
        {
            throw new HangarException(ErrorCodes.AlreadyExists, $"attachment of postgres cluster '{name}' to app '{request.App}' as {variable} already exists: detach it first or choose another --variable-name");
        }

        if (cluster.Attachments.FirstOrDefault(a => a.User == user || a.Database == database) is { } taken)
        {
            throw new HangarException(ErrorCodes.AlreadyExists,
                $"database '{taken.Database}' and user '{taken.User}' belong to the attachment of app '{taken.App}' as {taken.Variable}: pass another --database-name and --database-user");
        }

        // Checked before anything is made, so a refused attach leaves no role behind.
        var existing = (await store.GetAsync<SecretsRecord>(StoreKeys.SecretsOf(request.App), cancellationToken))?.Value.Secrets;
        if (existing?.ContainsKey(variable) == true)
        {
            throw HangarException.Precondition($"app '{request.App}' already has a secret named {variable}: unset it first or choose another --variable-name");
        }

        var password = Hangar.Core.Ids.Passwords.New();
        var admin = Admin(cluster);
        // Stable per cluster and app, so a re-run after a cut-short attach resumes it instead of refusing.
        // The default variable keeps the id attachments had before there could be several.
        var attachmentId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            name + "/" + request.App + (variable == DefaultVariable ? string.Empty : "/" + variable))))[..32];
        AttachResult made;
        try
        {
            // A failure inside takes back the role and database this attempt created.
            made = await AdminCallAsync(cluster, () => admin.AttachAsync(new AttachRequest(database!, user!, password, attachmentId, request.Superuser), cancellationToken));
        }
        catch (HangarException ex) when (ex.Code == ErrorCodes.Unavailable)
        {
            throw new HangarException(ex.Code, $"attach of app '{request.App}' failed, nothing kept: {ex.Message}", ex);
        }

        var url = ConnectionStrings.Url(user!, password, runtime.Host, cluster.ProxyPort!.Value, database!);
        try
        {
            var secrets = new Dictionary<string, string>(StringComparer.Ordinal) { [variable] = url };

            // libpq verifies the server against PGSSLROOTCERT whenever the file exists (verify-full adds the host name);
            // a second cluster attached to the app shares the one the first set, as it is the same CA.
            if (variable != RootCertificateVariable && existing?.ContainsKey(RootCertificateVariable) != true)
            {
                secrets[RootCertificateVariable] = runtime.CaCertificatePath;
            }

            await attachments.AttachAsync(request.App, PostgresKeys.Kind, name, variable, secrets, cancellationToken);
        }
        catch
        {
            // The secret could not be set (a race on the app): what this attempt made goes again.
            await admin.UndoAttachAsync(made, CancellationToken.None);
            throw;
        }

        await store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster(name), r => r with
        {
            Attachments = [.. r.Attachments.Where(a => a.App != request.App || a.Variable != variable), new PostgresAttachment(request.App, database!, user!, variable)],
        }, cancellationToken);
        Log.Attached(_logger, name, request.App, database!, user!);
        return new PostgresAttached(name, request.App, database!, user!, variable, ConnectionStrings.Redact(url));
    }

    /// <summary>
    /// Detaches the attachment that set <paramref name="variable"/>; without it, the app's only attachment of the
    /// cluster (several need the variable to say which).
    /// </summary>
    public async Task DetachAsync(string name, string app, string? variable, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        await apps.RequireAsync(app, cancellationToken);
        var recorded = (await attachments.OfResourceAsync(PostgresKeys.Kind, name, cancellationToken)).Where(a => a.App == app).ToList();
        var variables = cluster.Attachments.Where(a => a.App == app).Select(a => a.Variable)
            .Concat(recorded.SelectMany(a => a.Variables))
            // PGSSLROOTCERT rides along with the attachment that set it; it names no attachment of its own.
            .Where(v => v != RootCertificateVariable)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (variables.Count == 0)
        {
            throw new HangarException(ErrorCodes.NotFound, $"postgres cluster '{name}' is not attached to app '{app}'");
        }

        if (variable is null)
        {
            if (variables.Count > 1)
            {
                throw HangarException.Precondition($"postgres cluster '{name}' is attached to app '{app}' as {string.Join(", ", variables)}: pass --variable-name to say which to detach");
            }

            variable = variables[0];
        }
        else if (!variables.Contains(variable))
        {
            throw new HangarException(ErrorCodes.NotFound, $"postgres cluster '{name}' is not attached to app '{app}' as {variable} (it is as {string.Join(", ", variables)})");
        }

        if (cluster.Attachments.FirstOrDefault(a => a.App == app && a.Variable == variable) is { } attachment)
        {
            await AdminCallAsync(cluster, () => Admin(cluster).DetachAsync(attachment.User, cancellationToken));
        }

        await attachments.DetachAsync(app, PostgresKeys.Kind, name, variable, cancellationToken);
        await store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster(name), r => r with { Attachments = [.. r.Attachments.Where(a => a.App != app || a.Variable != variable)] }, cancellationToken);
        Log.Detached(_logger, name, app);
    }

    public async Task<IReadOnlyList<PostgresDatabaseInfo>> DatabasesAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        var all = await AdminCallAsync(cluster, () => Admin(cluster).ListDatabasesAsync(cancellationToken));
        return [.. all.Select(d => new PostgresDatabaseInfo(d.Name, d.Owner, d.SizeBytes, d.Users))];
    }

    public async Task CreateDatabaseAsync(string name, string database, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("cluster", name));
        problems.Add(PostgresNames.Problem("database", database));
        problems.ThrowIfAny();
        var cluster = await RequireRunningAsync(name, cancellationToken);
        await AdminCallAsync(cluster, async () =>
        {
            await Admin(cluster).CreateDatabaseAsync(database, cancellationToken);
            return true;
        });
    }

    public async Task<IReadOnlyList<PostgresUserInfo>> UsersAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        var all = await AdminCallAsync(cluster, () => Admin(cluster).ListUsersAsync(cancellationToken));
        return [.. all.Select(u => new PostgresUserInfo(u.Name, u.Superuser, u.Databases))];
    }

    public async Task<PostgresStatusInfo> ScaleAsync(string name, int count, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("cluster", name));
        problems.Range("count", count, MinNodes, MaxNodes);
        problems.ThrowIfAny();
        await RequireRunningAsync(name, cancellationToken);
        var updated = await store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster(name), r => r.NodeCount == count ? null : r with { NodeCount = count, Generation = r.Generation + 1 }, cancellationToken)
            ?? throw HangarException.NotFound("postgres cluster", name);
        reconciler.Trigger.Poke();
        await WaitAsync(name, r => r is null || (r.AppliedGeneration >= updated.Generation && r.Nodes.Count == count), ScaleLimit, cancellationToken);
        return await StatusAsync(name, cancellationToken);
    }

    /// <summary>`postgres failover`: a planned switchover to the healthiest replica (the sync standby when synchronous).</summary>
    public async Task<PostgresFailoverResult> FailoverAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        var started = Stopwatch.StartNew();
        var (oldLeader, newLeader) = await SwitchoverAsync(cluster, cancellationToken);
        return new PostgresFailoverResult(oldLeader, newLeader, started.Elapsed.TotalSeconds);
    }

    /// <summary>`postgres restart`: replicas one by one, then a switchover, then the old leader; healthy in between.</summary>
    public async Task<PostgresRestartResult> RestartAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        var started = Stopwatch.StartNew();
        await EnsureStatementStatisticsPreloadedAsync(cluster, cancellationToken);
        var restarted = await RollingRestartAsync(cluster, null, cancellationToken);
        var (state, _) = await runtime.ClusterStateAsync(cluster, cancellationToken);
        return new PostgresRestartResult(restarted, state?.Leader?.Name ?? "none", started.Elapsed.TotalSeconds);
    }

    /// <summary>`postgres config show`: works without a leader (the configuration lives in etcd, any member serves it).</summary>
    public async Task<PostgresConfigInfo> ConfigAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        var (state, _) = await runtime.ClusterStateAsync(cluster, cancellationToken);
        var (_, pending) = await AppliedEverywhereAsync(cluster, new Dictionary<string, string?>(), cancellationToken);
        return await ReadConfigAsync(cluster, state, pending, restarted: false, cancellationToken) with { NoLeader = state?.Leader is not { IsRunning: true } };
    }

    /// <summary>
    /// `postgres config update`: every value checked against PostgreSQL's rules first (nothing is written when one is
    /// wrong), then written to the dynamic configuration through any member or etcd itself. With a running leader it
    /// waits for every node to reload and restarts with --force as before; without one (the repair of a cluster whose
    /// nodes cannot start) it returns once the value is stored, and each Patroni applies it when it comes back.
    /// </summary>
    public async Task<PostgresConfigInfo> UpdateConfigAsync(string name, PostgresConfigUpdateRequest request, CancellationToken cancellationToken)
    {
        var requested = PostgresSettings.Requested(name, request);
        var cluster = await RequireRunningAsync(name, cancellationToken);
        var nodes = cluster.Nodes.OrderBy(n => n.Ordinal).Select(n => runtime.NodeAdminConnectionString(cluster, n));
        var (specs, fromServer) = await SettingCatalog.LoadAsync(nodes, [.. requested.Select(r => r.Parameter).Distinct()], cancellationToken);
        var parameters = PostgresSettings.Validate(requested, specs);
        var (state, _) = await runtime.ClusterStateAsync(cluster, cancellationToken);
        await WriteParametersAsync(cluster, state, parameters, cancellationToken);
        Log.ConfigUpdated(_logger, name, string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value}")), fromServer ? "pg_settings" : "built-in rules");
        if (state?.Leader is not { IsRunning: true })
        {
            return await ReadConfigAsync(cluster, state, [], restarted: false, cancellationToken) with { NoLeader = true };
        }

        var (applied, pending) = await WaitAppliedEverywhereAsync(cluster, parameters, cancellationToken);
        if (!applied)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"the new configuration of '{name}' was stored but not every node reloaded it within 20s; check `hangar postgres config show -a {name}`");
        }

        if (pending.Count > 0 && request.Force)
        {
            await RollingRestartAsync(cluster, pending, cancellationToken);
            return await ReadConfigAsync(cluster, state, [], restarted: true, cancellationToken);
        }

        return await ReadConfigAsync(cluster, state, pending, restarted: false, cancellationToken);
    }

    public async Task DestroyAsync(string name, bool force, CancellationToken cancellationToken)
    {
        await RequireAsync(name, cancellationToken);
        var attached = await attachments.OfResourceAsync(PostgresKeys.Kind, name, cancellationToken);
        if (attached.Count > 0 && !force)
        {
            throw HangarException.Precondition($"postgres cluster '{name}' is attached to {string.Join(", ", attached.Select(a => "app '" + a.App + "'"))}: detach it first, or pass --force");
        }

        await store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster(name), r => r with { Phase = PostgresPhase.Destroying }, cancellationToken);
        reconciler.Trigger.Poke();
        await WaitAsync(name, r => r is null, TimeSpan.FromMinutes(3), cancellationToken);
        Log.DestroyRequested(_logger, name);
    }

    /// <summary>vm, pg and role per node (Fly's three); null when there is no such cluster.</summary>
    public async Task<IReadOnlyList<CheckInfo>?> ChecksAsync(string name, CancellationToken cancellationToken)
    {
        if (await FindAsync(name, cancellationToken) is not { } cluster)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (cluster.Phase != PostgresPhase.Running)
        {
            return [new CheckInfo("pg", "critical", $"cluster is {cluster.Phase.ToString().ToLowerInvariant()}", cluster.Name, now)];
        }

        var results = await Task.WhenAll(cluster.Nodes.OrderBy(n => n.Ordinal).Select(async node =>
        {
            var checks = new Hangar.Postgres.Checks.PostgresChecks(
                node.Name,
                runtime.Patroni(cluster, node),
                runtime.NodeAdminConnectionString(cluster, node),
                Path.Combine(runtime.NodeRoot(node), "data"),
                time,
                loggers.CreateLogger<Hangar.Postgres.Checks.PostgresChecks>());
            var resource = PostgresKeys.NodeProcess(cluster.Name, node.Ordinal);
            return (await checks.RunAsync(cancellationToken)).Select(c => new CheckInfo(c.Name, c.Status.ToString().ToLowerInvariant(), c.Output, resource, time.GetUtcNow()));
        }));
        return [.. results.SelectMany(r => r)];
    }

    private async Task<(string OldLeader, string NewLeader)> SwitchoverAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var (state, error) = await runtime.ClusterStateAsync(cluster, cancellationToken);
        if (state?.Leader is not { } leader)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"postgres cluster '{cluster.Name}' has no leader to hand over from ({error ?? "none elected"})");
        }

        if (state.Replicas.Any(m => m.IsRunning))
        {
            // Right after a failover or a restart Patroni is still choosing the sync standby, and only it qualifies.
            state = await reconciler.WaitHealthyAsync(cluster, SwitchoverLimit, cancellationToken);
            leader = state.Leader!;
        }

        // The healthiest replica: the sync standby (the only one Patroni accepts in synchronous mode), else the least lag.
        var candidate = state.Replicas.Where(m => m.IsRunning)
            .OrderByDescending(m => m.Role == PatroniRoles.SyncStandby).ThenBy(m => m.LagBytes ?? long.MaxValue).FirstOrDefault()
            ?? throw HangarException.Precondition($"postgres cluster '{cluster.Name}' has no running replica to fail over to; scale it up first (`hangar scale count 2 -a {cluster.Name}`)");
        var leaderNode = cluster.Nodes.First(n => n.Name == leader.Name);
        await PatroniCallAsync(() => runtime.Patroni(cluster, leaderNode).SwitchoverAsync(leader.Name, candidate.Name, cancellationToken));
        var deadline = time.GetUtcNow() + SwitchoverLimit;
        while (true)
        {
            var (now, _) = await runtime.ClusterStateAsync(cluster, cancellationToken);
            if (now?.Leader is { IsRunning: true } current && current.Name == candidate.Name && runtime.ProxyStatus(cluster.Name)?.Leader == candidate.Name)
            {
                break;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new HangarException(ErrorCodes.Unavailable, $"switchover of '{cluster.Name}' to {candidate.Name} did not finish within {SwitchoverLimit.TotalSeconds:0}s: {(now is null ? "no answer" : PostgresReconciler.Describe(now))}");
            }

            await Task.Delay(100, cancellationToken);
        }

        Log.SwitchedOver(_logger, cluster.Name, leader.Name, candidate.Name);
        await reconciler.WaitHealthyAsync(cluster, SwitchoverLimit, cancellationToken);
        return (leader.Name, candidate.Name);
    }

    /// <summary>Restarts <paramref name="only"/> (every node when null): replicas first, then a switchover, then the old leader.</summary>
    private async Task<IReadOnlyList<string>> RollingRestartAsync(PostgresRecord cluster, IReadOnlyCollection<string>? only, CancellationToken cancellationToken)
    {
        var (state, error) = await runtime.ClusterStateAsync(cluster, cancellationToken);
        var leader = state?.Leader?.Name ?? throw new HangarException(ErrorCodes.Unavailable, $"postgres cluster '{cluster.Name}' has no leader ({error ?? "none elected"})");
        var restarted = new List<string>();
        foreach (var replica in cluster.Nodes.Where(n => n.Name != leader && (only is null || only.Contains(n.Name))).OrderBy(n => n.Ordinal))
        {
            await RestartNodeAsync(cluster, replica, cancellationToken);
            restarted.Add(replica.Name);
        }

        if (only is null || only.Contains(leader))
        {
            var old = cluster.Nodes.First(n => n.Name == leader);
            if (cluster.Nodes.Count > 1)
            {
                // The leader is restarted only once it no longer leads: writes pause for a switchover, not a restart.
                await SwitchoverAsync(cluster, cancellationToken);
            }

            await RestartNodeAsync(cluster, old, cancellationToken);
            restarted.Add(old.Name);
        }

        Log.Restarted(_logger, cluster.Name, string.Join(", ", restarted));
        return restarted;
    }

    private async Task RestartNodeAsync(PostgresRecord cluster, PostgresNodeRecord node, CancellationToken cancellationToken)
    {
        try
        {
            await PatroniCallAsync(() => runtime.Patroni(cluster, node).RestartAsync(onlyIfPending: false, cancellationToken));
        }
        catch (HangarException ex) when (ex.Message.Contains("restart failed", StringComparison.Ordinal))
        {
            // Patroni gives up when PostgreSQL is not up within its wait (a busy host); it keeps starting it, so wait
            // for the node to be healthy before deciding it failed.
            Log.RestartSlow(_logger, cluster.Name, node.Name);
        }

        await reconciler.WaitHealthyAsync(cluster, TimeSpan.FromMinutes(2), cancellationToken);
    }

    /// <summary>
    /// Sets the parameters through the first member whose Patroni answers (PATCH /config is served by any member,
    /// leader or not: it writes the etcd key), else straight into the etcd key with a compare-and-swap.
    /// </summary>
    private async Task WriteParametersAsync(PostgresRecord cluster, PatroniCluster? state, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        foreach (var node in MembersLeaderFirst(cluster, state))
        {
            try
            {
                await runtime.Patroni(cluster, node).SetParametersAsync(parameters, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or HangarException && !cancellationToken.IsCancellationRequested)
            {
                errors.Add($"{node.Name}: {ex.Message}");
            }
        }

        try
        {
            await PatroniDynamicConfig.SetParametersAsync(store.Inner, cluster.Name, parameters, cancellationToken);
            Log.ConfigWrittenToEtcd(_logger, cluster.Name, string.Join("; ", errors));
        }
        catch (InvalidOperationException ex)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"the configuration of '{cluster.Name}' could not be stored: {ex.Message} (members: {string.Join("; ", errors)})");
        }
    }

    /// <summary>Patroni's dynamic configuration from the first member that answers, else from etcd itself.</summary>
    private async Task<System.Text.Json.Nodes.JsonObject> DynamicConfigAsync(PostgresRecord cluster, PatroniCluster? state, CancellationToken cancellationToken)
    {
        foreach (var node in MembersLeaderFirst(cluster, state))
        {
            try
            {
                return await runtime.Patroni(cluster, node).GetConfigAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or HangarException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
            {
                // The next member, or etcd.
            }
        }

        return await PatroniDynamicConfig.ReadAsync(store.Inner, cluster.Name, cancellationToken)
            ?? throw new HangarException(ErrorCodes.Unavailable, $"postgres cluster '{cluster.Name}' has no configuration in etcd yet");
    }

    private static IEnumerable<PostgresNodeRecord> MembersLeaderFirst(PostgresRecord cluster, PatroniCluster? state) =>
        cluster.Nodes.OrderByDescending(n => n.Name == state?.Leader?.Name).ThenBy(n => n.Ordinal);

    private async Task<PostgresConfigInfo> ReadConfigAsync(PostgresRecord cluster, PatroniCluster? state, IReadOnlyList<string> pending, bool restarted, CancellationToken cancellationToken)
    {
        var config = await DynamicConfigAsync(cluster, state, cancellationToken);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (config["postgresql"]?["parameters"] is System.Text.Json.Nodes.JsonObject values)
        {
            foreach (var (key, value) in values)
            {
                parameters[key] = value?.ToString() ?? string.Empty;
            }
        }

        return new PostgresConfigInfo(parameters, pending, restarted);
    }

    /// <summary>Patroni applies a change on each node's next loop; pg_settings tells when each node has it (or needs a restart for it).</summary>
    private async Task<(bool Applied, IReadOnlyList<string> Pending)> WaitAppliedEverywhereAsync(PostgresRecord cluster, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(20);
        var (applied, pending) = (false, (IReadOnlyList<string>)[]);
        while (!applied && time.GetUtcNow() < deadline)
        {
            (applied, pending) = await AppliedEverywhereAsync(cluster, parameters, cancellationToken);
            if (!applied)
            {
                await Task.Delay(200, cancellationToken);
            }
        }

        return (applied, pending);
    }

    /// <summary>
    /// Clusters created before pg_stat_statements was preloaded get it at their next `postgres restart` (preloading
    /// takes a restart, and this is one): added to the dynamic configuration, next to any library a user set, and
    /// waited for on every node before the rolling restart begins.
    /// </summary>
    private async Task EnsureStatementStatisticsPreloadedAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var (state, _) = await runtime.ClusterStateAsync(cluster, cancellationToken);
        var config = await DynamicConfigAsync(cluster, state, cancellationToken);
        var libraries = (config["postgresql"]?["parameters"]?[PatroniConfig.StatementStatisticsParameter]?.ToString() ?? string.Empty)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        if (libraries.Contains(PatroniConfig.StatementStatisticsLibrary, StringComparer.Ordinal))
        {
            return;
        }

        var parameters = new Dictionary<string, string?> { [PatroniConfig.StatementStatisticsParameter] = string.Join(",", [.. libraries, PatroniConfig.StatementStatisticsLibrary]) };
        await WriteParametersAsync(cluster, state, parameters, cancellationToken);

        // A node that does not run the library yet reports it pending a restart once its Patroni has written it.
        if (!(await WaitAppliedEverywhereAsync(cluster, parameters, cancellationToken)).Applied)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"{PatroniConfig.StatementStatisticsParameter} of '{cluster.Name}' was stored but not every node took it within 20s; run `hangar postgres restart -a {cluster.Name}` again");
        }
    }

    /// <summary>
    /// Whether every node runs with the new values or reports that it needs a restart for them, and which nodes
    /// have any parameter waiting for a restart (pg_settings.pending_restart).
    /// </summary>
    private async Task<(bool Applied, IReadOnlyList<string> Pending)> AppliedEverywhereAsync(PostgresRecord cluster, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken)
    {
        var pending = new List<string>();
        foreach (var node in cluster.Nodes.OrderBy(n => n.Ordinal))
        {
            try
            {
                await using var connection = new NpgsqlConnection(runtime.NodeAdminConnectionString(cluster, node) + ";Pooling=false;Timeout=5");
                await connection.OpenAsync(cancellationToken);
                await using (var any = new NpgsqlCommand("SELECT count(*) FROM pg_settings WHERE pending_restart", connection))
                {
                    if ((long)(await any.ExecuteScalarAsync(cancellationToken))! > 0)
                    {
                        pending.Add(node.Name);
                    }
                }

                foreach (var (parameter, value) in parameters)
                {
                    await using var command = new NpgsqlCommand("SELECT setting, unit, pending_restart, vartype FROM pg_settings WHERE name = $1", connection);
                    command.Parameters.AddWithValue(parameter);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    if (!await reader.ReadAsync(cancellationToken))
                    {
                        return (false, pending);
                    }

                    var spec = new SettingSpec(parameter, reader.GetString(3), reader.IsDBNull(1) ? null : reader.GetString(1), null, null, [], false);
                    if (!reader.GetBoolean(2) && value is not null && !SettingValues.Matches(spec, reader.GetString(0), value))
                    {
                        return (false, pending);
                    }
                }
            }
            catch (NpgsqlException)
            {
                return (false, pending);
            }
        }

        return (true, pending);
    }

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

    private static async Task<T> PatroniCallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpRequestException ex)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"Patroni did not answer: {ex.Message}");
        }
    }

    private PostgresClusterInfo Info(PostgresRecord r) => new(
        r.Name,
        r.Region,
        r.Phase.ToString().ToLowerInvariant(),
        r.Preset,
        runtime.Host,
        r.ProxyPort,
        r.NodeCount,
        r.Synchronous,
        r.VolumeSizeGb,
        [.. r.Attachments.Select(a => a.App).Distinct(StringComparer.Ordinal)],
        r.CreatedAt,
        r.Error);

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
        return cluster.Phase == PostgresPhase.Running
            ? cluster
            : throw HangarException.Precondition($"postgres cluster '{name}' is {cluster.Phase.ToString().ToLowerInvariant()}, not running");
    }

    private Task<PostgresRecord?> WaitAsync(string name, Func<PostgresRecord?, bool> done, TimeSpan limit, CancellationToken cancellationToken) =>
        store.WaitForAsync(PostgresKeys.Cluster(name), done, limit, time, r => $"postgres cluster '{name}' is still {r?.Phase.ToString().ToLowerInvariant()}", cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(6040, LogLevel.Information, "postgres {Name}: created with {Nodes} node(s), synchronous {Synchronous}")]
        public static partial void Created(ILogger logger, string name, int nodes, bool synchronous);

        [LoggerMessage(6041, LogLevel.Information, "postgres {Name}: attached to app {App} (database {Database}, user {User})")]
        public static partial void Attached(ILogger logger, string name, string app, string database, string user);

        [LoggerMessage(6042, LogLevel.Information, "postgres {Name}: detached from app {App} (role dropped, database kept)")]
        public static partial void Detached(ILogger logger, string name, string app);

        [LoggerMessage(6043, LogLevel.Information, "postgres {Name}: switchover from {From} to {To} done")]
        public static partial void SwitchedOver(ILogger logger, string name, string from, string to);

        [LoggerMessage(6044, LogLevel.Information, "postgres {Name}: rolling restart done in order {Order}")]
        public static partial void Restarted(ILogger logger, string name, string order);

        [LoggerMessage(6045, LogLevel.Information, "postgres {Name}: dynamic configuration set: {Parameters} (checked against {Rules})")]
        public static partial void ConfigUpdated(ILogger logger, string name, string parameters, string rules);

        [LoggerMessage(6048, LogLevel.Warning, "postgres {Name}: no member's Patroni took the configuration ({Errors}); written to etcd directly, applied as the nodes come back")]
        public static partial void ConfigWrittenToEtcd(ILogger logger, string name, string errors);

        [LoggerMessage(6047, LogLevel.Warning, "postgres {Name}: Patroni reported the restart of {Node} as failed; waiting for the node to come back healthy")]
        public static partial void RestartSlow(ILogger logger, string name, string node);

        [LoggerMessage(6046, LogLevel.Information, "postgres {Name}: destroyed on request")]
        public static partial void DestroyRequested(ILogger logger, string name);
    }
}
