using System.Net.Sockets;
using System.Text;
using Hangar.Postgres.Config;
using Hangar.Postgres.Nodes;
using Hangar.State;

namespace Hangar.Postgres.Failover;

/// <summary>
/// Faster failover for a leader whose Patroni and PostgreSQL both died while the host lives on: once both are dead
/// the leader cannot write any more, so its key may be released at once. Without it the replicas wait for the key's lease to run out (about ttl
/// seconds); deleting it wakes their watch and the sync standby promotes within a loop.
/// Safe only because a dead postmaster cannot write: both processes are proven dead on this host first, and
/// the delete is a compare-and-swap on the key naming this node, so a renewed or newly taken lock survives.
/// </summary>
public static class DeadLeaderRelease
{
    /// <summary>Patroni's leader key for a cluster (etcd3, namespace /hangar-pg/).</summary>
    public static string LeaderKey(string clusterName) => $"{PatroniNodeOptions.Namespace}{clusterName}/leader";

    /// <summary>Must run on the node's own host: it reads the node's postmaster.pid and /proc.</summary>
    public static async Task<LeaderRelease> ReleaseIfDeadAsync(IKeyValueStore store, PatroniNodeOptions node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(node);
        var key = LeaderKey(node.ClusterName);
        var entry = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (entry is null || Encoding.UTF8.GetString(entry.Value) != node.NodeName)
        {
            return LeaderRelease.NotLeader;
        }

        // A wildcard bind is reachable on loopback; anything else on the address it was bound to.
        var probeHost = node.BindAddress switch
        {
            "0.0.0.0" => "127.0.0.1",
            "::" => "::1",
            _ => node.BindAddress,
        };
        if (await AcceptsConnectionsAsync(probeHost, node.RestApiPort, cancellationToken).ConfigureAwait(false))
        {
            return LeaderRelease.PatroniAlive;
        }

        if (Postmaster.RunningPid(node.Paths.DataDirectory) is not null)
        {
            return LeaderRelease.PostgresAlive;
        }

        var committed = await store.TryCommitAsync(
            new StoreTxn([new StoreCondition(key, entry.ModRevision)], [new DeleteOp(key)]),
            cancellationToken).ConfigureAwait(false);
        return committed is null ? LeaderRelease.Raced : LeaderRelease.Released;
    }

    private static async Task<bool> AcceptsConnectionsAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No answer within a second is not proof of death (a hung Patroni still holds the key legitimately).
            return true;
        }
    }
}
