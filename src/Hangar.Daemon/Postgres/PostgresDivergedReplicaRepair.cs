using Hangar.Daemon.Reconcile;
using Hangar.Postgres.Rest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// A former leader that came back as a replica still on its old timeline, not following the new leader's. Patroni
/// checks once, after a crashed primary restarts, whether it must rewind; when that check runs before the node has
/// replayed its own WAL past the new timeline's branch point (a fenced leader restarting under load), it decides "no
/// rewind", and the node then replays past the branch point and can never follow: it stays "running" on the old
/// timeline with its lag growing. Seen in CI after freeze tests. Every few seconds this looks for a replica whose
/// timeline is behind the leader's and whose lag has not shrunk for <see cref="Patience"/>, and asks its Patroni to
/// reinitialize it from the leader (what `patronictl reinit` does). What it loses is only WAL the old leader wrote
/// after the branch point, which a failover discards anyway (pg_rewind would drop the same); with synchronous
/// replication none of it was acknowledged.
/// </summary>
internal sealed partial class PostgresDivergedReplicaRepair(PostgresReconciler reconciler, PostgresRuntime runtime, ILogger<PostgresDivergedReplicaRepair> logger, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Long enough for a replica catching up through the archive to reach the branch point and switch timelines.</summary>
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private readonly Dictionary<string, Behind> _behind = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await PeriodicTicks.NextAsync(timer, stoppingToken))
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var cluster in reconciler.Running.Where(c => c.Nodes.Count > 1))
            {
                try
                {
                    var (state, _) = await runtime.ClusterStateAsync(cluster, stoppingToken);
                    if (state?.Leader is not { Timeline: { } leaderTimeline } leader)
                    {
                        continue;
                    }

                    foreach (var member in state.Replicas)
                    {
                        var key = cluster.Name + "/" + member.Name;
                        if (member is not { Timeline: { } timeline, LagBytes: { } lag } || timeline >= leaderTimeline || !member.IsRunning)
                        {
                            continue;
                        }

                        seen.Add(key);
                        var now = time.GetUtcNow();
                        if (!_behind.TryGetValue(key, out var behind) || lag < behind.Lag)
                        {
                            // New, or catching up: the patience starts (again) from here.
                            _behind[key] = new Behind(now, lag);
                            continue;
                        }

                        if (now - behind.Since < Patience || cluster.Nodes.FirstOrDefault(n => n.Name == member.Name) is not { } node)
                        {
                            continue;
                        }

                        Log.Reinitializing(logger, cluster.Name, member.Name, timeline, leader.Name, leaderTimeline, lag, (now - behind.Since).TotalSeconds);
                        await runtime.Patroni(cluster, node).ReinitializeAsync(force: true, stoppingToken);
                        _behind.Remove(key);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.CheckFailed(logger, cluster.Name, ex.Message);
                }
            }

            foreach (var gone in _behind.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                _behind.Remove(gone);
            }
        }
    }

    private readonly record struct Behind(DateTimeOffset Since, long Lag);

    private static partial class Log
    {
        [LoggerMessage(6120, LogLevel.Warning, "postgres {Cluster}: {Node} is a replica on timeline {Timeline} behind leader {Leader}'s {LeaderTimeline}, {Lag} bytes behind and not catching up for {Seconds:0}s (diverged before Patroni's rewind check); reinitializing it from the leader")]
        public static partial void Reinitializing(ILogger logger, string cluster, string node, int timeline, string leader, int leaderTimeline, long lag, double seconds);

        [LoggerMessage(6121, LogLevel.Debug, "postgres {Cluster}: diverged-replica check failed: {Reason}")]
        public static partial void CheckFailed(ILogger logger, string cluster, string reason);
    }
}
