using System.Text;
using Hangar.Core.Resources;
using Hangar.Daemon.Hosting;
using Hangar.Postgres.Config;
using Hangar.Postgres.Failover;
using Hangar.Postgres.Nodes;
using Hangar.Supervision;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// Fencing of a local node that lost the leader key but may still take writes: a leader frozen (SIGSTOP, a stalled
/// VM) for longer than the TTL wakes up believing it leads, and its backends may keep running while Patroni does not.
/// Patroni would demote it on its next loop, but only once it runs; here the daemon kills Patroni, the postmaster
/// and every process under the postmaster, and the supervisor restarts Patroni, which rejoins as a replica.
/// </summary>
internal sealed partial class PostgresLeaderWatch
{
    private readonly Dictionary<string, string> _lastLeader = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _claimingSince = new(StringComparer.Ordinal);

    /// <summary>
    /// Reads the cluster's leader key fresh (etcd's default range is linearizable, never a cached view) and fences
    /// each local node that does not hold it but was the last leader seen or runs as a primary: at once when its
    /// Patroni or postmaster is stopped, after a couple of Patroni loops when it still runs as a primary.
    /// </summary>
    private async Task FenceAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var entry = await store.GetAsync(DeadLeaderRelease.LeaderKey(cluster.Name), cancellationToken);
        if (entry is null)
        {
            // Nobody holds the key: no other node can have promoted, and a node with the key gone demotes itself.
            return;
        }

        var holder = Encoding.UTF8.GetString(entry.Value);
        var lastLeader = _lastLeader.GetValueOrDefault(cluster.Name);
        _lastLeader[cluster.Name] = holder;
        var grace = TimeSpan.FromSeconds(2 * PatroniTiming.Fast.LoopWait);
        foreach (var node in cluster.Nodes)
        {
            var process = PostgresKeys.NodeProcess(cluster.Name, node.Ordinal);
            if (node.Name == holder || supervisor.Status(process) is not { State: ProcessState.Running, Pid: { } pid } || ProcessIdentity.Read(pid) is not { } patroni)
            {
                _claimingSince.Remove(process);
                continue;
            }

            var postmaster = Postmaster.RunningPid(runtime.NodePaths(node).DataDirectory) is { } pm ? ProcessIdentity.Read(pm) : null;
            var children = postmaster is { } p ? ProcessTree.Descendants(p) : [];
            // PostgreSQL 15 starts its walwriter only once out of recovery: a primary has one, a standby never does.
            // /proc answers even when the node is frozen, where a query would hang.
            var primary = children.Any(c => c.CommandLine()?.Contains("walwriter", StringComparison.Ordinal) == true);
            if (lastLeader != node.Name && !primary)
            {
                _claimingSince.Remove(process);
                continue;
            }

            string reason;
            if (ProcessTree.IsStopped(patroni) || (postmaster is { } stopped && ProcessTree.IsStopped(stopped)))
            {
                reason = "is stopped";
            }
            else if (!primary)
            {
                // The last leader, running, and no longer a primary: Patroni demoted it.
                _claimingSince.Remove(process);
                continue;
            }
            else if (time.GetElapsedTime(_claimingSince.TryGetValue(process, out var since) ? since : _claimingSince[process] = time.GetTimestamp()) < grace)
            {
                continue;
            }
            else
            {
                reason = $"still runs as a primary after {grace.TotalSeconds:0} s";
            }

            _claimingSince.Remove(process);
            var killed = Fence(patroni, postmaster);
            Log.Fenced(logger, cluster.Name, node.Name, holder, reason, killed);
        }
    }

    /// <summary>SIGKILL of Patroni's group, then of the postmaster's tree, stopped first so it forks nothing meanwhile.</summary>
    private static int Fence(ProcessIdentity patroni, ProcessIdentity? postmaster)
    {
        var killed = Signals.KillGroup(patroni) ? 1 : 0;
        if (postmaster is not { } root)
        {
            return killed;
        }

        Signals.Stop(root);
        foreach (var child in ProcessTree.Descendants(root))
        {
            killed += Signals.Kill(child) ? 1 : 0;
        }

        return killed + (Signals.Kill(root) ? 1 : 0);
    }
}
