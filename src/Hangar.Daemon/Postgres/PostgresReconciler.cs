using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Platform;
using Hangar.Daemon.Reconcile;
using Hangar.Daemon.Volumes;
using Hangar.Postgres.Config;
using Hangar.Postgres.Rest;
using Hangar.State;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// Makes Patroni nodes and the leader-following proxy match the cluster records, one step per cluster, never waiting
/// inside a step. Pending: ports and one volume per node asked for (volumes-requested, until the volume reconciler
/// made them); a seeded cluster starts its first node alone (waiting-leader) and resets the copied credentials before
/// the others join (replicas-joining); otherwise every node starts at once (bootstrapping); Running once Patroni
/// reports one leader, every replica streaming and the proxy routing to the leader. Each waiting sub-phase may last
/// <see cref="CreateLimit"/> from the time the record entered it, then the create fails and what was made goes.
/// Running: keep every process supervised (adopting them after a daemon restart), keep proxy.json in step with the
/// nodes, and apply scale changes (Generation): new nodes as for a create (replicas-joining), or one replica removed
/// per step (replicas-leaving), then waiting-healthy. Failed: kept for the caller to read, destroyed when nobody did.
/// Destroying: processes, volumes, ports, attachments, Patroni's keys, then the record. Leader election is Patroni's.
/// </summary>
internal sealed partial class PostgresReconciler(
    IKeyValueStore kv,
    RecordStore store,
    IPostgresNodes nodes,
    VolumeClaims volumes,
    PortAllocator ports,
    AttachmentService attachments,
    ILogger<PostgresReconciler> logger,
    TimeProvider clock)
    : PhasedReconciler<PostgresRecord>(kv, store, logger, clock)
{
    public const string VolumesRequested = "volumes-requested";
    public const string WaitingLeader = "waiting-leader";
    public const string Bootstrapping = "bootstrapping";
    public const string ReplicasJoining = "replicas-joining";
    public const string ReplicasLeaving = "replicas-leaving";
    public const string WaitingHealthy = "waiting-healthy";

    public static readonly TimeSpan CreateLimit = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    private volatile IReadOnlyList<PostgresRecord> _running = [];

    protected override string Name => "postgres";

    protected override IReadOnlyList<string> WatchedPrefixes => [PostgresKeys.Prefix];

    protected override string RecordPrefix => PostgresKeys.Prefix;

    /// <summary>Clusters whose nodes run on this host, as of the last pass (for <see cref="PostgresLeaderWatch"/>).</summary>
    public IReadOnlyList<PostgresRecord> Running => _running;

    protected override string KeyOf(PostgresRecord record) => PostgresKeys.Cluster(record.Name);

    protected override string NameOf(PostgresRecord record) => record.Name;

    protected override string PhaseOf(PostgresRecord record) => record.Phase.ToString().ToLowerInvariant();

    protected override StepMark MarkOf(PostgresRecord record) => new(record.Step, record.StepSince);

    protected override PostgresRecord WithMark(PostgresRecord record, StepMark mark) => record with { Step = mark.SubPhase, StepSince = mark.Since };

    protected override bool FailsOnError(PostgresRecord record, Exception error) => record.Phase == PostgresPhase.Pending;

    protected override string FailureReason(PostgresRecord record, Exception error) => $"cluster {record.Name} could not be created: {error.Message}";

    protected override string OverdueReason(PostgresRecord record, StepResult result, TimeSpan limit) =>
        $"cluster {record.Name} did not become healthy within {limit.TotalMinutes:0} minutes ({result.SubPhase}: {result.Decision}); see `hangar logs -a {record.Name}`";

    protected override Task<StepResult> StepAsync(PostgresRecord cluster, CancellationToken cancellationToken) => cluster.Phase switch
    {
        PostgresPhase.Pending => ConvergeAsync(cluster, creating: true, cancellationToken),
        PostgresPhase.Running => ConvergeAsync(cluster, creating: false, cancellationToken),
        PostgresPhase.Destroying => DestroyAfterAsync(cluster, () => TearDownAsync(cluster, cancellationToken), "nodes, proxy, volumes, ports, attachments, Patroni keys", cancellationToken),
        PostgresPhase.Failed => AbandonUnreadFailureAsync(cluster, cluster.FailedAt, r => r.Phase == PostgresPhase.Failed ? r with { Phase = PostgresPhase.Destroying } : null, cancellationToken),
        _ => Task.FromResult(StepResult.Done("no action")),
    };

    protected override async Task FailAsync(PostgresRecord cluster, string reason, CancellationToken cancellationToken)
    {
        if ((await Records.GetAsync<PostgresRecord>(KeyOf(cluster), cancellationToken))?.Value is not { Phase: PostgresPhase.Pending })
        {
            // Destroyed while being created: the Destroying step tears it down.
            Log.CreateAbandoned(Logger, cluster.Name);
            return;
        }

        Log.ProvisionFailed(Logger, cluster.Name, reason);
        await TearDownAsync(cluster, cancellationToken);
        await Records.MutateAsync<PostgresRecord>(KeyOf(cluster), r => r.Phase == PostgresPhase.Pending ? r with { Phase = PostgresPhase.Failed, Error = reason, FailedAt = Time.GetUtcNow() } : null, cancellationToken);
    }

    protected override async Task AfterPassAsync(IReadOnlyList<PostgresRecord> records, bool resync, CancellationToken cancellationToken)
    {
        _running = [.. records.Where(r => r.Phase is PostgresPhase.Running or PostgresPhase.Pending && r.Nodes.Count > 0)];
        if (!resync)
        {
            return;
        }

        // A node or proxy nothing asks for any more (its record vanished without a teardown) is stopped.
        var wanted = records.SelectMany(r => r.Nodes.Select(n => PostgresKeys.NodeProcess(r.Name, n.Ordinal)).Append(PostgresKeys.ProxyProcess(r.Name)))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var process in nodes.SupervisedNames().Where(p => !wanted.Contains(p)))
        {
            Log.StoppingOrphan(Logger, process);
            await nodes.StopAsync(process, cancellationToken);
        }
    }

    /// <summary>One step towards NodeCount healthy nodes: for a create (Pending) and for a running cluster alike.</summary>
    private async Task<StepResult> ConvergeAsync(PostgresRecord cluster, bool creating, CancellationToken cancellationToken)
    {
        var limit = creating ? CreateLimit : (TimeSpan?)null;
        if (creating && cluster.Nodes.Count == 0 && cluster.Step is null)
        {
            // Nodes are recorded before any starts, so no nodes yet means nothing of this cluster ever ran: keys left
            // by an earlier cluster of this name would make Patroni wait for a leader that never comes. A resumed
            // create (daemon killed half way) must not touch them: its first node may be bootstrapping right now.
            await Records.Inner.DeletePrefixAsync(PatroniNodeOptions.Namespace + cluster.Name + "/", cancellationToken);
        }

        if (cluster.Nodes.Count < cluster.NodeCount)
        {
            var added = await AllocateAsync(cluster, cancellationToken);
            return StepResult.Requeue(Poll, VolumesRequested, $"nodes {added} recorded, their volumes asked for", limit);
        }

        if (cluster.Nodes.Count > cluster.NodeCount)
        {
            return await RemoveReplicaAsync(cluster, cancellationToken);
        }

        foreach (var node in cluster.Nodes)
        {
            var volume = await volumes.GetAsync(node.VolumeId, cancellationToken) ?? throw new InvalidOperationException($"volume {node.VolumeId} of node {node.Name} is gone");
            if (volume.Phase == VolumePhase.Pending)
            {
                return StepResult.Requeue(Poll, VolumesRequested, $"waiting for volume {volume.Id} of {node.Name}", limit);
            }

            if (volume.Phase != VolumePhase.Created)
            {
                throw new InvalidOperationException($"volume {volume.Id} of node {node.Name} is {volume.Phase.ToString().ToLowerInvariant()}: {volume.Error}");
            }
        }

        if (creating && PostgresRuntime.IsSeeded(cluster) && cluster.Step is null or VolumesRequested or WaitingLeader)
        {
            return await SeededFirstNodeAsync(cluster, cancellationToken);
        }

        if (!creating && await IsSuspendedAsync(cluster, cancellationToken))
        {
            // Scale to zero: the node stays stopped until a connection or an API call wakes it (Autostop/).
            if (await nodes.EnsureProxyAsync(cluster, cancellationToken))
            {
                Log.ProxyConfigWritten(Logger, cluster.Name, string.Join(", ", cluster.Nodes.Select(n => n.Name)));
            }

            return StepResult.Done("suspended (autostop): node stopped, the cluster port wakes it");
        }

        var started = await StartMissingAsync(cluster, cluster.Nodes, cancellationToken);
        if (!creating && cluster.AppliedGeneration >= cluster.Generation)
        {
            // Nothing asked of this cluster: leadership and replication are Patroni's, so no need to look.
            return StepResult.Done(started.Length > 0 ? $"supervising {started} (adopted when still running)" : "every node supervised, no action");
        }

        var (state, error, healthy) = await HealthAsync(cluster, cancellationToken);
        var seen = state is null ? error ?? "no answer" : ClusterHealth.Describe(state);
        var waiting = creating ? cluster.Step is ReplicasJoining ? ReplicasJoining : Bootstrapping
            : cluster.Step is ReplicasLeaving or WaitingHealthy ? WaitingHealthy : ReplicasJoining;
        if (!healthy)
        {
            return StepResult.Requeue(Poll, waiting, (started.Length > 0 ? $"started {started}; " : string.Empty) + seen, limit);
        }

        if (creating)
        {
            await Records.MutateAsync<PostgresRecord>(KeyOf(cluster), r => r.Phase == PostgresPhase.Pending ? r with { Phase = PostgresPhase.Running, AppliedGeneration = r.Generation } : null, cancellationToken);
            Log.Provisioned(Logger, cluster.Name, cluster.Nodes.Count, cluster.ProxyPort ?? 0, (Time.GetUtcNow() - cluster.CreatedAt).TotalSeconds);
            return StepResult.Done($"running: leader {state!.Leader!.Name}, {seen}");
        }

        var generation = cluster.Generation;
        await Records.MutateAsync<PostgresRecord>(KeyOf(cluster), r => r with { AppliedGeneration = Math.Max(r.AppliedGeneration, generation) }, cancellationToken);
        Log.Scaled(Logger, cluster.Name, cluster.Nodes.Count);
        return StepResult.Done($"scaled to {cluster.Nodes.Count} node(s): {seen}");
    }

    /// <summary>
    /// The copied data knows only the source's passwords: the other nodes could not clone it until the first one
    /// leads and has this cluster's. Seed (idempotent), start the first node alone, and once it leads reset the
    /// credentials and let the others join.
    /// </summary>
    private async Task<StepResult> SeededFirstNodeAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var first = cluster.Nodes.OrderBy(n => n.Ordinal).First();
        if (cluster.Step is not WaitingLeader)
        {
            // Never over a data directory that already has its copy.
            await nodes.SeedAsync(cluster, first, cancellationToken);
        }

        await StartMissingAsync(cluster, [first], cancellationToken);
        var (state, error) = await nodes.ClusterStateAsync(cluster, cancellationToken);
        if (state?.Leader is not { IsRunning: true } leader || leader.Name != first.Name)
        {
            return StepResult.Requeue(Poll, WaitingLeader, $"{first.Name} seeded, waiting for it to lead: {(state is null ? error : ClusterHealth.Describe(state))}", CreateLimit);
        }

        await nodes.ResetCredentialsAsync(cluster, first, cancellationToken);
        var started = await StartMissingAsync(cluster, cluster.Nodes, cancellationToken);
        return StepResult.Requeue(Poll, ReplicasJoining, $"{first.Name} leads with this cluster's credentials; started {(started.Length > 0 ? started : "no other node")}", CreateLimit);
    }

    /// <summary>
    /// Read fresh, not from the pass's listing: a suspend written since must keep this step from starting the node
    /// the autostop loop is stopping.
    /// </summary>
    private async Task<bool> IsSuspendedAsync(PostgresRecord cluster, CancellationToken cancellationToken) =>
        cluster.AutostopSeconds is not null
        && (cluster.Suspended || (await Records.GetAsync<PostgresRecord>(KeyOf(cluster), cancellationToken))?.Value.Suspended == true);

    /// <summary>Replicas go one per step, newest first; the leader stays (scaling never causes a failover).</summary>
    private async Task<StepResult> RemoveReplicaAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var (state, error) = await nodes.ClusterStateAsync(cluster, cancellationToken);
        if (state?.Leader?.Name is not { } leader)
        {
            return StepResult.Requeue(TimeSpan.FromSeconds(1), ReplicasLeaving, $"no leader to keep while scaling down ({error ?? "none elected"})");
        }

        var victim = cluster.Nodes.Where(n => n.Name != leader).OrderByDescending(n => n.Ordinal).First();
        await nodes.StopNodeAsync(cluster.Name, victim, cancellationToken);
        var owner = PostgresKeys.NodeOwner(cluster.Name, victim.Ordinal);
        await volumes.ReleaseAsync(owner, cancellationToken);
        await ports.ReleaseAsync(owner, cancellationToken);

        // A gracefully stopped Patroni deletes its member key; this catches one that was killed.
        await Records.Inner.DeleteAsync($"{PatroniNodeOptions.Namespace}{cluster.Name}/members/{victim.Name}", cancellationToken);
        var rest = await Records.MutateAsync<PostgresRecord>(KeyOf(cluster), r => r with { Nodes = [.. r.Nodes.Where(n => n.Name != victim.Name)] }, cancellationToken)
            ?? throw new InvalidOperationException($"cluster {cluster.Name} disappeared while scaling");
        if (await nodes.EnsureProxyAsync(rest, cancellationToken))
        {
            Log.ProxyConfigWritten(Logger, cluster.Name, string.Join(", ", rest.Nodes.Select(n => n.Name)));
        }

        Log.NodeRemoved(Logger, cluster.Name, victim.Name);
        return StepResult.Requeue(Poll, ReplicasLeaving, $"{victim.Name} removed (process, volume, ports), leader {leader} kept");
    }

    /// <summary>Proxy port, then nodes up to NodeCount (ports and a volume claim each), recorded before anything starts.</summary>
    private async Task<string> AllocateAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var proxyPort = (await ports.EnsureAsync(PostgresKeys.Owner(cluster.Name), 1, cancellationToken))[0];
        var list = cluster.Nodes.ToList();
        var ordinal = list.Count == 0 ? 0 : list.Max(n => n.Ordinal);
        var added = new List<string>();
        while (list.Count < cluster.NodeCount)
        {
            ordinal++;
            var owner = PostgresKeys.NodeOwner(cluster.Name, ordinal);
            var pair = await ports.EnsureAsync(owner, 2, cancellationToken);
            var volume = await volumes.ClaimAsync(PostgresKeys.NodeProcess(cluster.Name, ordinal), cluster.VolumeSizeGb, owner, cancellationToken);
            list.Add(new PostgresNodeRecord(PostgresKeys.NodeName(cluster.Name, ordinal), ordinal, pair[0], pair[1], volume.Id));
            added.Add(PostgresKeys.NodeName(cluster.Name, ordinal));
        }

        _ = await Records.MutateAsync<PostgresRecord>(KeyOf(cluster), r => r with { ProxyPort = proxyPort, Nodes = list }, cancellationToken)
            ?? throw new InvalidOperationException($"cluster {cluster.Name} disappeared while being created");
        return string.Join(", ", added);
    }

    /// <summary>
    /// Starts the nodes that are not supervised (all at once: the first to take Patroni's initialize key runs initdb,
    /// the others clone it; after a daemon restart the pid files lead the supervisor to the running ones), and keeps
    /// the proxy. Returns the names started, empty when none.
    /// </summary>
    private async Task<string> StartMissingAsync(PostgresRecord cluster, IReadOnlyList<PostgresNodeRecord> which, CancellationToken cancellationToken)
    {
        var missing = which.Where(n => !nodes.IsSupervised(PostgresKeys.NodeProcess(cluster.Name, n.Ordinal))).ToList();
        foreach (var node in missing)
        {
            await nodes.StartNodeAsync(cluster, node, cancellationToken);
        }

        if (await nodes.EnsureProxyAsync(cluster, cancellationToken))
        {
            Log.ProxyConfigWritten(Logger, cluster.Name, string.Join(", ", cluster.Nodes.Select(n => n.Name)));
        }

        return string.Join(", ", missing.Select(n => n.Name));
    }

    /// <summary>One look: Patroni's view and whether it is healthy with the proxy routing to the leader.</summary>
    private async Task<(PatroniCluster? State, string? Error, bool Healthy)> HealthAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var (state, error) = await nodes.ClusterStateAsync(cluster, cancellationToken);
        return (state, error, state is not null && ClusterHealth.IsHealthy(cluster, state) && nodes.ProxyLeader(cluster.Name) == state.Leader!.Name);
    }

    /// <summary>Everything a cluster had, gone; safe to run again and on a half-made cluster.</summary>
    private async Task TearDownAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        await nodes.StopProxyAsync(cluster, cancellationToken);
        await Task.WhenAll(cluster.Nodes.Select(node => nodes.StopNodeAsync(cluster.Name, node, cancellationToken)));
        foreach (var attachment in await attachments.OfResourceAsync(PostgresKeys.Kind, cluster.Name, cancellationToken))
        {
            await attachments.DetachAsync(attachment.App, PostgresKeys.Kind, cluster.Name, cancellationToken);
        }

        // By owner prefix, so a node allocated but never recorded (daemon killed in between) goes too.
        var nodeOwners = PostgresKeys.Owner(cluster.Name) + ":";
        foreach (var owner in (await Records.ListAsync<VolumeRecord>(StoreKeys.Volumes, cancellationToken)).Select(v => v.Value.AttachedTo)
            .Concat((await Records.ListAsync<PortRecord>(StoreKeys.Ports, cancellationToken)).Select(p => p.Value.Owner))
            .OfType<string>().Where(o => o.StartsWith(nodeOwners, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList())
        {
            await volumes.ReleaseAsync(owner, cancellationToken);
            await ports.ReleaseAsync(owner, cancellationToken);
        }

        await ports.ReleaseAsync(PostgresKeys.Owner(cluster.Name), cancellationToken);
        await Records.Inner.DeletePrefixAsync(PatroniNodeOptions.Namespace + cluster.Name + "/", cancellationToken);
        nodes.DeleteFiles(cluster);
    }

    private static partial class Log
    {
        [LoggerMessage(6001, LogLevel.Information, "postgres {Name}: running, {Nodes} node(s), cluster port {Port}, ready {Seconds:0.0}s after it was asked for")]
        public static partial void Provisioned(ILogger logger, string name, int nodes, int port, double seconds);

        [LoggerMessage(6002, LogLevel.Warning, "postgres {Name}: create failed, removed what was made: {Reason}")]
        public static partial void ProvisionFailed(ILogger logger, string name, string reason);

        [LoggerMessage(6006, LogLevel.Warning, "process {Process} has no Postgres record; stopping it")]
        public static partial void StoppingOrphan(ILogger logger, string process);

        [LoggerMessage(6008, LogLevel.Information, "postgres {Name}: proxy config written for nodes {Nodes}")]
        public static partial void ProxyConfigWritten(ILogger logger, string name, string nodes);

        [LoggerMessage(6009, LogLevel.Information, "postgres {Name}: scaled to {After} node(s)")]
        public static partial void Scaled(ILogger logger, string name, int after);

        [LoggerMessage(6011, LogLevel.Information, "postgres {Name}: destroy requested while creating; the create stops here")]
        public static partial void CreateAbandoned(ILogger logger, string name);

        [LoggerMessage(6010, LogLevel.Information, "postgres {Name}: node {Node} removed (process, volume, ports)")]
        public static partial void NodeRemoved(ILogger logger, string name, string node);
    }
}
