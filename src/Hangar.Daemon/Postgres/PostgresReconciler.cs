using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Platform;
using Hangar.Daemon.Reconcile;
using Hangar.Daemon.Volumes;
using Hangar.Postgres.Config;
using Hangar.Postgres.Rest;
using Hangar.State;
using Hangar.Supervision;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// Makes Patroni nodes and the leader-following proxy match the cluster records. Pending: ports, one volume per
/// node, node directories, the Patroni processes and the proxy under the supervisor, then wait for one leader and
/// every replica streaming (each step idempotent, so a create cut short by a killed daemon is finished by the next).
/// Running: keep every process supervised (adopting them after a daemon restart), keep proxy.json in step with the
/// nodes, and apply scale changes (Generation). Destroying and Failed: remove processes, volumes, ports, attachments
/// and Patroni's keys. Leader election is Patroni's; this loop only runs what Patroni needs.
/// </summary>
internal sealed partial class PostgresReconciler(
    IKeyValueStore kv,
    RecordStore store,
    Supervisor supervisor,
    VolumeService volumes,
    PortAllocator ports,
    AttachmentService attachments,
    PostgresRuntime runtime,
    PostgresSeeder seeder,
    ILogger<PostgresReconciler> logger,
    TimeProvider clock)
    : ReconcileLoop(kv, logger, clock)
{
    public static readonly TimeSpan CreateLimit = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan AbandonedFailure = TimeSpan.FromMinutes(1);

    private volatile IReadOnlyList<PostgresRecord> _running = [];

    protected override string Name => "postgres";

    protected override IReadOnlyList<string> WatchedPrefixes => [PostgresKeys.Prefix];

    /// <summary>Clusters whose nodes run on this host, as of the last pass (for <see cref="PostgresLeaderWatch"/>).</summary>
    public IReadOnlyList<PostgresRecord> Running => _running;

    protected override async Task PassAsync(bool resync, CancellationToken cancellationToken)
    {
        var records = await store.ListAsync<PostgresRecord>(PostgresKeys.Prefix, cancellationToken);
        _running = [.. records.Select(r => r.Value).Where(r => r.Phase is PostgresPhase.Running or PostgresPhase.Pending && r.Nodes.Count > 0)];
        foreach (var entry in records)
        {
            var cluster = entry.Value;
            try
            {
                switch (cluster.Phase)
                {
                    case PostgresPhase.Pending:
                        await ProvisionAsync(cluster, cancellationToken);
                        break;
                    case PostgresPhase.Running:
                        await KeepRunningAsync(cluster, cancellationToken);
                        break;
                    case PostgresPhase.Destroying:
                        await TearDownAsync(cluster, cancellationToken);
                        await Store.DeleteAsync(PostgresKeys.Cluster(cluster.Name), cancellationToken);
                        Log.Destroyed(Logger, cluster.Name);
                        break;
                    case PostgresPhase.Failed when cluster.FailedAt is { } failedAt && Time.GetUtcNow() - failedAt > AbandonedFailure:
                        await TearDownAsync(cluster, cancellationToken);
                        await Store.DeleteAsync(PostgresKeys.Cluster(cluster.Name), cancellationToken);
                        Log.AbandonedFailure(Logger, cluster.Name);
                        break;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.StepFailed(Logger, cluster.Name, cluster.Phase.ToString().ToLowerInvariant(), ex.Message);
            }
        }

        if (resync)
        {
            // A node or proxy nothing asks for any more (its record vanished without a teardown) is stopped.
            var wanted = records.SelectMany(r => r.Value.Nodes.Select(n => PostgresKeys.NodeProcess(r.Value.Name, n.Ordinal)).Append(PostgresKeys.ProxyProcess(r.Value.Name)))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var process in supervisor.List().Where(p => (p.Name.StartsWith("pg-", StringComparison.Ordinal) || p.Name.StartsWith("proxy-", StringComparison.Ordinal)) && !wanted.Contains(p.Name)))
            {
                Log.StoppingOrphan(Logger, process.Name);
                await supervisor.StopAsync(process.Name, cancellationToken);
            }
        }
    }

    private async Task ProvisionAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var started = Time.GetUtcNow();
        try
        {
            // Nodes are recorded before any starts, so no nodes yet means nothing of this cluster ever ran: keys left
            // by an earlier cluster of this name would make Patroni wait for a leader that never comes. A resumed
            // create (daemon killed half way) must not touch them: its first node may be bootstrapping right now.
            if (cluster.Nodes.Count == 0)
            {
                await Store.DeletePrefixAsync(PatroniNodeOptions.Namespace + cluster.Name + "/", cancellationToken);
            }

            cluster = await AllocateAsync(cluster, cluster.NodeCount, cancellationToken);
            var seeded = PostgresRuntime.IsSeeded(cluster);
            var first = cluster.Nodes.OrderBy(n => n.Ordinal).First();
            if (seeded)
            {
                // Idempotent: stages the copy once, never over a data directory that already has one.
                await seeder.SeedAsync(cluster, first, cancellationToken);
            }

            if (seeded)
            {
                // The copied data knows only the source's passwords: the other nodes could not clone it until the
                // first one leads and has this cluster's.
                await StartNodesAsync(cluster, [first], cancellationToken);
                await EnsureProxyAsync(cluster, cancellationToken);
                await WaitLeaderAsync(cluster, first, CreateLimit, cancellationToken);
                await seeder.ResetCredentialsAsync(cluster, first, cancellationToken);
            }

            await StartNodesAsync(cluster, cluster.Nodes, cancellationToken);
            await EnsureProxyAsync(cluster, cancellationToken);
            await WaitHealthyAsync(cluster, CreateLimit, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if ((await store.GetAsync<PostgresRecord>(PostgresKeys.Cluster(cluster.Name), cancellationToken))?.Value is not { Phase: PostgresPhase.Pending })
            {
                // Destroyed while being created: the next pass tears it down.
                Log.CreateAbandoned(Logger, cluster.Name);
                return;
            }

            var reason = ex is TimeoutException
                ? $"cluster {cluster.Name} did not become healthy within {CreateLimit.TotalMinutes:0} minutes ({ex.Message}); see `hangar logs -a {cluster.Name}`"
                : $"cluster {cluster.Name} could not be created: {ex.Message}";
            Log.ProvisionFailed(Logger, cluster.Name, reason);
            await TearDownAsync(cluster, cancellationToken);
            await store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster(cluster.Name), r => r with { Phase = PostgresPhase.Failed, Error = reason, FailedAt = Time.GetUtcNow() }, cancellationToken);
            return;
        }

        await store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster(cluster.Name), r => r.Phase == PostgresPhase.Pending ? r with { Phase = PostgresPhase.Running, AppliedGeneration = r.Generation } : null, cancellationToken);
        Log.Provisioned(Logger, cluster.Name, cluster.Nodes.Count, cluster.ProxyPort ?? 0, (Time.GetUtcNow() - started).TotalSeconds);
    }

    private async Task KeepRunningAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var missing = cluster.Nodes.Where(n => supervisor.Status(PostgresKeys.NodeProcess(cluster.Name, n.Ordinal)) is null).ToList();
        if (missing.Count > 0)
        {
            // After a daemon restart: the pid files lead the supervisor to the running Patroni processes (adopted, not restarted).
            await StartNodesAsync(cluster, missing, cancellationToken);
            Log.Supervising(Logger, cluster.Name, string.Join(", ", missing.Select(n => n.Name)));
        }

        await EnsureProxyAsync(cluster, cancellationToken);
        if (cluster.AppliedGeneration < cluster.Generation)
        {
            await ScaleAsync(cluster, cancellationToken);
        }
    }

    private async Task ScaleAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var before = cluster.Nodes.Count;
        if (cluster.NodeCount > cluster.Nodes.Count)
        {
            var known = cluster.Nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
            cluster = await AllocateAsync(cluster, cluster.NodeCount, cancellationToken);
            await StartNodesAsync(cluster, cluster.Nodes.Where(n => !known.Contains(n.Name)).ToList(), cancellationToken);
            await EnsureProxyAsync(cluster, cancellationToken);
            await WaitHealthyAsync(cluster, CreateLimit, cancellationToken);
        }
        else if (cluster.NodeCount < cluster.Nodes.Count)
        {
            // Replicas go, newest first; the leader stays (scaling never causes a failover).
            var (state, error) = await runtime.ClusterStateAsync(cluster, cancellationToken);
            var leader = state?.Leader?.Name ?? throw new InvalidOperationException($"no leader to keep while scaling down ({error})");
            var victims = cluster.Nodes.Where(n => n.Name != leader).OrderByDescending(n => n.Ordinal).Take(cluster.Nodes.Count - cluster.NodeCount).ToList();
            foreach (var victim in victims)
            {
                await RemoveNodeAsync(cluster, victim, cancellationToken);
                cluster = await store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster(cluster.Name), r => r with { Nodes = [.. r.Nodes.Where(n => n.Name != victim.Name)] }, cancellationToken)
                    ?? throw new InvalidOperationException($"cluster {cluster.Name} disappeared while scaling");
            }

            runtime.WriteProxyConfig(cluster);
            await WaitHealthyAsync(cluster, CreateLimit, cancellationToken);
        }

        var generation = cluster.Generation;
        await store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster(cluster.Name), r => r with { AppliedGeneration = Math.Max(r.AppliedGeneration, generation) }, cancellationToken);
        Log.Scaled(Logger, cluster.Name, before, cluster.NodeCount);
    }

    /// <summary>Proxy port, then nodes up to <paramref name="count"/> (ports and a volume each), recorded before anything starts.</summary>
    private async Task<PostgresRecord> AllocateAsync(PostgresRecord cluster, int count, CancellationToken cancellationToken)
    {
        var proxyPort = (await ports.EnsureAsync(PostgresKeys.Owner(cluster.Name), 1, cancellationToken))[0];
        var nodes = cluster.Nodes.ToList();
        var ordinal = nodes.Count == 0 ? 0 : nodes.Max(n => n.Ordinal);
        while (nodes.Count < count)
        {
            ordinal++;
            var owner = PostgresKeys.NodeOwner(cluster.Name, ordinal);
            var pair = await ports.EnsureAsync(owner, 2, cancellationToken);
            var volume = await volumes.EnsureAttachedAsync(PostgresKeys.NodeProcess(cluster.Name, ordinal), cluster.VolumeSizeGb, owner, cancellationToken);
            nodes.Add(new PostgresNodeRecord(PostgresKeys.NodeName(cluster.Name, ordinal), ordinal, pair[0], pair[1], volume.Id));
        }

        return await store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster(cluster.Name), r => r with { ProxyPort = proxyPort, Nodes = nodes }, cancellationToken)
            ?? throw new InvalidOperationException($"cluster {cluster.Name} disappeared while being created");
    }

    private async Task StartNodesAsync(PostgresRecord cluster, IReadOnlyList<PostgresNodeRecord> nodes, CancellationToken cancellationToken)
    {
        // All at once: the first to take Patroni's initialize key runs initdb, the others wait and clone it.
        foreach (var node in nodes)
        {
            var spec = await runtime.PrepareNodeAsync(cluster, node, cancellationToken);
            await supervisor.EnsureStartedAsync(spec, cancellationToken);
        }
    }

    private async Task EnsureProxyAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        if (runtime.WriteProxyConfig(cluster))
        {
            Log.ProxyConfigWritten(Logger, cluster.Name, string.Join(", ", cluster.Nodes.Select(n => n.Name)));
        }

        if (supervisor.Status(PostgresKeys.ProxyProcess(cluster.Name)) is null)
        {
            await supervisor.EnsureStartedAsync(runtime.ProxySpec(cluster), cancellationToken);
        }
    }

    /// <summary>Until Patroni reports one running leader, every node running, replicas caught up, a sync standby when asked for, and the proxy routing to the leader.</summary>
    public async Task<PatroniCluster> WaitHealthyAsync(PostgresRecord cluster, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = Time.GetUtcNow() + limit;
        var last = "no answer yet";
        while (true)
        {
            var (state, error) = await runtime.ClusterStateAsync(cluster, cancellationToken);
            if (state is not null)
            {
                last = ClusterHealth.Describe(state);
                if (ClusterHealth.IsHealthy(cluster, state) && runtime.ProxyStatus(cluster.Name)?.Leader == state.Leader!.Name)
                {
                    return state;
                }
            }
            else
            {
                last = error ?? last;
            }

            if (Time.GetUtcNow() > deadline)
            {
                throw new TimeoutException(last);
            }

            await ThrowIfDestroyingAsync(cluster.Name, cancellationToken);

            await Task.Delay(200, cancellationToken);
        }
    }

    private async Task WaitLeaderAsync(PostgresRecord cluster, PostgresNodeRecord node, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = Time.GetUtcNow() + limit;
        while (true)
        {
            var (state, error) = await runtime.ClusterStateAsync(cluster, cancellationToken);
            if (state?.Leader is { IsRunning: true } leader && leader.Name == node.Name)
            {
                return;
            }

            if (Time.GetUtcNow() > deadline)
            {
                throw new TimeoutException(state is null ? error : ClusterHealth.Describe(state));
            }

            await ThrowIfDestroyingAsync(cluster.Name, cancellationToken);

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>A wait inside a pass gives up as soon as the cluster is to be destroyed, so the destroy is not held up.</summary>
    private async Task ThrowIfDestroyingAsync(string name, CancellationToken cancellationToken)
    {
        if ((await store.GetAsync<PostgresRecord>(PostgresKeys.Cluster(name), cancellationToken))?.Value is null or { Phase: PostgresPhase.Destroying })
        {
            throw new InvalidOperationException($"cluster {name} is being destroyed");
        }
    }

    private async Task RemoveNodeAsync(PostgresRecord cluster, PostgresNodeRecord node, CancellationToken cancellationToken)
    {
        var spec = runtime.NodeStopSpec(cluster.Name, node);
        await supervisor.StopAsync(spec.Name, cancellationToken);
        await supervisor.StopOrphanAsync(spec, cancellationToken);
        var owner = PostgresKeys.NodeOwner(cluster.Name, node.Ordinal);
        await volumes.DestroyAttachedAsync(owner, cancellationToken);
        await ports.ReleaseAsync(owner, cancellationToken);

        // A gracefully stopped Patroni deletes its member key; this catches one that was killed.
        await Store.DeleteAsync($"{PatroniNodeOptions.Namespace}{cluster.Name}/members/{node.Name}", cancellationToken);
        Log.NodeRemoved(Logger, cluster.Name, node.Name);
    }

    /// <summary>Everything a cluster had, gone; safe to run again and on a half-made cluster.</summary>
    private async Task TearDownAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var proxy = runtime.ProxySpec(cluster);
        await supervisor.StopAsync(proxy.Name, cancellationToken);
        await supervisor.StopOrphanAsync(proxy, cancellationToken);
        await Task.WhenAll(cluster.Nodes.Select(async node =>
        {
            var spec = runtime.NodeStopSpec(cluster.Name, node);
            await supervisor.StopAsync(spec.Name, cancellationToken);
            await supervisor.StopOrphanAsync(spec, cancellationToken);
        }));

        foreach (var attachment in await attachments.OfResourceAsync(PostgresKeys.Kind, cluster.Name, cancellationToken))
        {
            await attachments.DetachAsync(attachment.App, PostgresKeys.Kind, cluster.Name, cancellationToken);
        }

        // By owner prefix, so a node allocated but never recorded (daemon killed in between) goes too.
        var nodeOwners = PostgresKeys.Owner(cluster.Name) + ":";
        foreach (var owner in (await store.ListAsync<VolumeRecord>(StoreKeys.Volumes, cancellationToken)).Select(v => v.Value.AttachedTo)
            .Concat((await store.ListAsync<PortRecord>(StoreKeys.Ports, cancellationToken)).Select(p => p.Value.Owner))
            .OfType<string>().Where(o => o.StartsWith(nodeOwners, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList())
        {
            await volumes.DestroyAttachedAsync(owner, cancellationToken);
            await ports.ReleaseAsync(owner, cancellationToken);
        }

        await ports.ReleaseAsync(PostgresKeys.Owner(cluster.Name), cancellationToken);
        await Store.DeletePrefixAsync(PatroniNodeOptions.Namespace + cluster.Name + "/", cancellationToken);
        foreach (var node in cluster.Nodes)
        {
            var sockets = runtime.NodePaths(node).SocketDirectory;
            if (Directory.Exists(sockets))
            {
                Directory.Delete(sockets, recursive: true);
            }
        }

        if (Directory.Exists(runtime.ClusterDirectory(cluster.Name)))
        {
            Directory.Delete(runtime.ClusterDirectory(cluster.Name), recursive: true);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6001, LogLevel.Information, "postgres {Name}: running, {Nodes} node(s), cluster port {Port}, ready in {Seconds:0.0}s")]
        public static partial void Provisioned(ILogger logger, string name, int nodes, int port, double seconds);

        [LoggerMessage(6002, LogLevel.Warning, "postgres {Name}: create failed, removed what was made: {Reason}")]
        public static partial void ProvisionFailed(ILogger logger, string name, string reason);

        [LoggerMessage(6003, LogLevel.Information, "postgres {Name}: destroyed (nodes, proxy, volumes, ports, attachments, Patroni keys)")]
        public static partial void Destroyed(ILogger logger, string name);

        [LoggerMessage(6004, LogLevel.Warning, "postgres {Name}: {Phase} step failed, retrying next pass: {Reason}")]
        public static partial void StepFailed(ILogger logger, string name, string phase, string reason);

        [LoggerMessage(6005, LogLevel.Information, "postgres {Name}: failed create was abandoned by its caller; removed its record")]
        public static partial void AbandonedFailure(ILogger logger, string name);

        [LoggerMessage(6006, LogLevel.Warning, "process {Process} has no Postgres record; stopping it")]
        public static partial void StoppingOrphan(ILogger logger, string process);

        [LoggerMessage(6007, LogLevel.Information, "postgres {Name}: supervising nodes {Nodes} (adopted when still running)")]
        public static partial void Supervising(ILogger logger, string name, string nodes);

        [LoggerMessage(6008, LogLevel.Information, "postgres {Name}: proxy config written for nodes {Nodes}")]
        public static partial void ProxyConfigWritten(ILogger logger, string name, string nodes);

        [LoggerMessage(6009, LogLevel.Information, "postgres {Name}: scaled from {Before} to {After} node(s)")]
        public static partial void Scaled(ILogger logger, string name, int before, int after);

        [LoggerMessage(6011, LogLevel.Information, "postgres {Name}: destroy requested while creating; the create stops here")]
        public static partial void CreateAbandoned(ILogger logger, string name);

        [LoggerMessage(6010, LogLevel.Information, "postgres {Name}: node {Node} removed (process, volume, ports)")]
        public static partial void NodeRemoved(ILogger logger, string name, string node);
    }
}
