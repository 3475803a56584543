using System.Diagnostics;
using Hangar.Core.Resources;
using Hangar.Daemon.Reconcile;
using Hangar.Postgres.Failover;
using Hangar.State;
using Hangar.Supervision;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// The fast path for a dead leader: every 200 ms, for each node on this host whose Patroni process the
/// supervisor no longer sees running, ask <see cref="DeadLeaderRelease"/> — which proves Patroni's REST port refuses
/// and no postmaster runs on the data directory, and only then deletes the leader key if it still names this node.
/// The replicas' watch fires and the sync standby promotes at once instead of after the key's TTL. Apart from the
/// reconcile loop, whose passes may block for minutes on a create.
/// A node that lost the key but may still take writes is fenced first (PostgresLeaderWatch.Fence.cs).
/// </summary>
internal sealed partial class PostgresLeaderWatch(PostgresReconciler reconciler, PostgresRuntime runtime, Supervisor supervisor, IKeyValueStore store, ILogger<PostgresLeaderWatch> logger, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        var deadSince = new Dictionary<string, long>(StringComparer.Ordinal);
        while (!stoppingToken.IsCancellationRequested && await PeriodicTicks.NextAsync(timer, stoppingToken))
        {
            foreach (var cluster in reconciler.Running)
            {
                try
                {
                    await FenceAsync(cluster, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.FenceCheckFailed(logger, cluster.Name, ex.Message);
                }

                foreach (var node in cluster.Nodes)
                {
                    var process = PostgresKeys.NodeProcess(cluster.Name, node.Ordinal);
                    if (supervisor.Status(process) is not { } status || (status.State == ProcessState.Running && status.Pid is { } pid && ProcessIdentity.Read(pid) is not null))
                    {
                        deadSince.Remove(process);
                        continue;
                    }

                    var since = deadSince.TryGetValue(process, out var first) ? first : deadSince[process] = Stopwatch.GetTimestamp();
                    try
                    {
                        var outcome = await DeadLeaderRelease.ReleaseIfDeadAsync(store, runtime.NodeOptions(cluster, node), stoppingToken);
                        if (outcome == LeaderRelease.Released)
                        {
                            Log.Released(logger, cluster.Name, node.Name, Stopwatch.GetElapsedTime(since).TotalMilliseconds);
                        }
                    }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        Log.CheckFailed(logger, cluster.Name, node.Name, ex.Message);
                    }
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6020, LogLevel.Warning, "postgres {Name}: leader {Node} lost both Patroni and PostgreSQL; released its leader key {Milliseconds:0} ms after the supervisor saw Patroni gone, so a replica promotes now")]
        public static partial void Released(ILogger logger, string name, string node, double milliseconds);

        [LoggerMessage(6021, LogLevel.Warning, "postgres {Name}: dead-leader check of {Node} failed: {Reason}")]
        public static partial void CheckFailed(ILogger logger, string name, string node, string reason);

        [LoggerMessage(6022, LogLevel.Warning, "postgres {Name}: fenced {Node}: the leader key names {Holder} but {Node} {Reason}; SIGKILLed Patroni, the postmaster and its processes ({Killed} signalled), the supervisor restarts it as a replica")]
        public static partial void Fenced(ILogger logger, string name, string node, string holder, string reason, int killed);

        [LoggerMessage(6023, LogLevel.Warning, "postgres {Name}: fencing check failed: {Reason}")]
        public static partial void FenceCheckFailed(ILogger logger, string name, string reason);
    }
}
