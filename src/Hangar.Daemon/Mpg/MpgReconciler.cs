using Hangar.Core.Resources;
using Hangar.Daemon.Platform;
using Hangar.Daemon.Reconcile;
using Hangar.State;
using Hangar.Supervision;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Mpg;

/// <summary>
/// Makes each mpg record's PgBouncer match it, one step per pool. Pending: wait for the Postgres cluster the service
/// is making (waiting-cluster), take the pool's port, write the files and start PgBouncer (starting, until it
/// accepts), then Running. Running: keep PgBouncer supervised (adopted after a daemon restart, restarted after a
/// crash) and reload it when its settings change. Destroying: PgBouncer, its files and port, then the Postgres
/// cluster (marked destroying and waited for), then the record.
/// </summary>
internal sealed partial class MpgReconciler(
    IKeyValueStore kv,
    RecordStore store,
    Supervisor supervisor,
    PortAllocator ports,
    MpgRuntime runtime,
    ILogger<MpgReconciler> logger,
    TimeProvider clock)
    : PhasedReconciler<MpgRecord>(kv, store, logger, clock)
{
    public const string WaitingCluster = "waiting-cluster";
    public const string Starting = "starting";
    public const string ClusterLeaving = "cluster-leaving";

    // The service's own create of the cluster may take its full limit (6 minutes) before the pool can start.
    private static readonly TimeSpan ClusterLimit = TimeSpan.FromMinutes(7);
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    protected override string Name => "mpg";

    protected override IReadOnlyList<string> WatchedPrefixes => [MpgKeys.Prefix, PostgresKeys.Prefix];

    protected override string RecordPrefix => MpgKeys.Prefix;

    protected override string KeyOf(MpgRecord record) => MpgKeys.Cluster(record.Name);

    protected override string NameOf(MpgRecord record) => record.Name;

    protected override string PhaseOf(MpgRecord record) => record.Phase.ToString().ToLowerInvariant();

    protected override StepMark MarkOf(MpgRecord record) => new(record.Step, record.StepSince);

    protected override MpgRecord WithMark(MpgRecord record, StepMark mark) => record with { Step = mark.SubPhase, StepSince = mark.Since };

    protected override Task<StepResult> StepAsync(MpgRecord mpg, CancellationToken cancellationToken) => mpg.Phase switch
    {
        MpgPhase.Pending => ProvisionAsync(mpg, cancellationToken),
        MpgPhase.Running => KeepRunningAsync(mpg, cancellationToken),
        MpgPhase.Destroying => DestroyAsync(mpg, cancellationToken),
        MpgPhase.Failed => AbandonUnreadFailureAsync(mpg, mpg.FailedAt, r => r.Phase == MpgPhase.Failed ? r with { Phase = MpgPhase.Destroying } : null, cancellationToken),
        _ => Task.FromResult(StepResult.Done("no action")),
    };

    protected override bool FailsOnError(MpgRecord record, Exception error) => record.Phase == MpgPhase.Pending;

    protected override string FailureReason(MpgRecord record, Exception error) => $"mpg {record.Name} could not be created: {error.Message}";

    protected override string OverdueReason(MpgRecord record, StepResult result, TimeSpan limit) => result.SubPhase == Starting
        ? $"pgbouncer for {record.Name} did not accept connections; see `hangar logs -a {record.Name}`"
        : base.OverdueReason(record, result, limit);

    protected override async Task FailAsync(MpgRecord mpg, string reason, CancellationToken cancellationToken)
    {
        Log.ProvisionFailed(Logger, mpg.Name, reason);
        await StopPoolAsync(mpg, cancellationToken);
        await Records.MutateAsync<MpgRecord>(KeyOf(mpg), r => r.Phase == MpgPhase.Pending ? r with { Phase = MpgPhase.Failed, Error = reason, FailedAt = Time.GetUtcNow() } : null, cancellationToken);
    }

    protected override async Task AfterPassAsync(IReadOnlyList<MpgRecord> records, bool resync, CancellationToken cancellationToken)
    {
        if (!resync)
        {
            return;
        }

        var names = records.Select(r => MpgKeys.PoolProcess(r.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var process in supervisor.List().Where(p => p.Name.StartsWith("pgbouncer-", StringComparison.Ordinal) && !names.Contains(p.Name)))
        {
            Log.StoppingOrphan(Logger, process.Name);
            await supervisor.StopAsync(process.Name, cancellationToken);
        }
    }

    private async Task<StepResult> ProvisionAsync(MpgRecord mpg, CancellationToken cancellationToken)
    {
        var cluster = (await Records.GetAsync<PostgresRecord>(PostgresKeys.Cluster(mpg.Name), cancellationToken))?.Value;
        switch (cluster?.Phase)
        {
            case PostgresPhase.Running:
                break;
            case PostgresPhase.Failed or PostgresPhase.Destroying:
                throw new InvalidOperationException(cluster.Error ?? $"postgres cluster {mpg.Name} is {cluster.Phase.ToString().ToLowerInvariant()}");
            default:
                return StepResult.Requeue(Poll, WaitingCluster, cluster is null ? "waiting for the postgres cluster to be recorded" : $"postgres cluster is {cluster.Phase.ToString().ToLowerInvariant()}", ClusterLimit);
        }

        if (mpg.PoolPort is null)
        {
            var port = (await ports.EnsureAsync(MpgKeys.Owner(mpg.Name), 1, cancellationToken))[0];
            await Records.MutateAsync<MpgRecord>(KeyOf(mpg), r => r with { PoolPort = port }, cancellationToken);
            return StepResult.Requeue(TimeSpan.Zero, Starting, $"pool port {port} taken", StartLimit);
        }

        runtime.WriteFiles(mpg, cluster, mpg.MaxConnections);
        await supervisor.EnsureStartedAsync(runtime.Spec(mpg), cancellationToken);
        if (supervisor.Status(MpgKeys.PoolProcess(mpg.Name)) is not { Ready: true })
        {
            return StepResult.Requeue(Poll, Starting, "pgbouncer started, waiting for it to accept", StartLimit);
        }

        await Records.MutateAsync<MpgRecord>(KeyOf(mpg), r => r.Phase == MpgPhase.Pending ? r with { Phase = MpgPhase.Running, AppliedGeneration = r.Generation } : null, cancellationToken);
        Log.Provisioned(Logger, mpg.Name, mpg.PoolPort.Value, cluster.ProxyPort ?? 0);
        return StepResult.Done($"pool on port {mpg.PoolPort} in front of cluster port {cluster.ProxyPort}");
    }

    private async Task<StepResult> KeepRunningAsync(MpgRecord mpg, CancellationToken cancellationToken)
    {
        if ((await Records.GetAsync<PostgresRecord>(PostgresKeys.Cluster(mpg.Name), cancellationToken))?.Value is not { ProxyPort: not null } cluster)
        {
            return StepResult.Requeue(TimeSpan.FromSeconds(5), null, "postgres cluster gone; keeping the pool until destroyed");
        }

        var rewritten = runtime.WriteFiles(mpg, cluster, mpg.MaxConnections);
        await supervisor.EnsureStartedAsync(runtime.Spec(mpg), cancellationToken);

        // PgBouncer rereads pgbouncer.ini and the auth file on SIGHUP without dropping a connection.
        if (rewritten)
        {
            supervisor.Reload(MpgKeys.PoolProcess(mpg.Name));
        }

        if (mpg.AppliedGeneration < mpg.Generation)
        {
            var generation = mpg.Generation;
            await Records.MutateAsync<MpgRecord>(KeyOf(mpg), r => r with { AppliedGeneration = Math.Max(r.AppliedGeneration, generation) }, cancellationToken);
            Log.Reloaded(Logger, mpg.Name, mpg.PoolSize, mpg.PoolMode);
            return StepResult.Done($"generation {generation} applied (pool size {mpg.PoolSize}, {mpg.PoolMode} pooling)");
        }

        return StepResult.Done(rewritten ? "files rewritten, pool reloaded" : "supervised, no action");
    }

    private async Task<StepResult> DestroyAsync(MpgRecord mpg, CancellationToken cancellationToken)
    {
        await StopPoolAsync(mpg, cancellationToken);
        var key = PostgresKeys.Cluster(mpg.Name);
        if ((await Records.GetAsync<PostgresRecord>(key, cancellationToken))?.Value is { } cluster)
        {
            if (cluster.Phase != PostgresPhase.Destroying)
            {
                await Records.MutateAsync<PostgresRecord>(key, r => r.Phase == PostgresPhase.Destroying ? null : r with { Phase = PostgresPhase.Destroying }, cancellationToken);
            }

            return StepResult.Requeue(Poll, ClusterLeaving, "pool stopped; waiting for the postgres cluster to be destroyed");
        }

        await Records.Inner.DeleteAsync(KeyOf(mpg), cancellationToken);
        Log.Destroyed(Logger, mpg.Name);
        return StepResult.Done("destroyed");
    }

    /// <summary>PgBouncer, its files and its port gone; safe to run again and on a half-made pool.</summary>
    private async Task StopPoolAsync(MpgRecord mpg, CancellationToken cancellationToken)
    {
        var spec = runtime.Spec(mpg);
        await supervisor.StopAsync(spec.Name, cancellationToken);
        await supervisor.StopOrphanAsync(spec, cancellationToken);
        await ports.ReleaseAsync(MpgKeys.Owner(mpg.Name), cancellationToken);
        runtime.DeleteFiles(mpg.Name);
    }

    private static partial class Log
    {
        [LoggerMessage(6301, LogLevel.Information, "mpg {Name}: pool on port {Port} in front of cluster port {ClusterPort}")]
        public static partial void Provisioned(ILogger logger, string name, int port, int clusterPort);

        [LoggerMessage(6302, LogLevel.Warning, "mpg {Name}: create failed, pool removed: {Reason}")]
        public static partial void ProvisionFailed(ILogger logger, string name, string reason);

        [LoggerMessage(6303, LogLevel.Information, "mpg {Name}: destroyed (pool, port, postgres cluster)")]
        public static partial void Destroyed(ILogger logger, string name);

        [LoggerMessage(6304, LogLevel.Information, "mpg {Name}: pool reloaded with pool size {PoolSize}, {PoolMode} pooling")]
        public static partial void Reloaded(ILogger logger, string name, int poolSize, string poolMode);

        [LoggerMessage(6305, LogLevel.Warning, "process {Process} has no mpg record; stopping it")]
        public static partial void StoppingOrphan(ILogger logger, string process);
    }
}
