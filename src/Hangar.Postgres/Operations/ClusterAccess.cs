using System.Text.Json;
using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Postgres.Rest;

namespace Hangar.Postgres.Operations;

/// <summary>
/// How the operations reach one cluster: each node's Patroni and admin connection, and the proxy's current target.
/// The daemon builds it from the record; nothing here decides. <paramref name="pauseClients"/> holds the cluster's
/// clients (a pooler's PAUSE) for the moment a planned switchover moves the leader; null when nothing pools them.
/// </summary>
public sealed class ClusterAccess(
    PostgresRecord cluster,
    Func<PostgresNodeRecord, PatroniClient> patroni,
    Func<PostgresNodeRecord, string> nodeAdminConnectionString,
    Func<string?> proxyLeader,
    Func<CancellationToken, Task<IAsyncDisposable>>? pauseClients = null)
{
    public PostgresRecord Cluster => cluster;

    public string Name => cluster.Name;

    public PatroniClient Patroni(PostgresNodeRecord node) => patroni(node);

    /// <summary>The admin role straight to one node, not through the proxy.</summary>
    public string NodeAdminConnectionString(PostgresNodeRecord node) => nodeAdminConnectionString(node);

    /// <summary>The node the proxy routes new connections to, from its status file; null when it has none or cannot be read.</summary>
    public string? ProxyLeader() => proxyLeader();

    /// <summary>Holds the clients until the returned handle is disposed (a no-op when nothing pools them).</summary>
    public Task<IAsyncDisposable> PauseClientsAsync(CancellationToken cancellationToken) =>
        pauseClients?.Invoke(cancellationToken) ?? Task.FromResult<IAsyncDisposable>(NoPause.Instance);

    public PostgresNodeRecord Node(string name) => cluster.Nodes.First(n => n.Name == name);

    /// <summary>GET /cluster from the first node that answers; null with the last error when none does.</summary>
    public async Task<(PatroniCluster? Cluster, string? Error)> StateAsync(CancellationToken cancellationToken)
    {
        string? error = null;
        foreach (var node in cluster.Nodes.OrderBy(n => n.Ordinal))
        {
            try
            {
                return (await patroni(node).GetClusterAsync(cancellationToken).ConfigureAwait(false), null);
            }
            catch (Exception ex) when (ex is HttpRequestException or HangarException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
            {
                error = $"{node.Name}: {ex.Message}";
            }
        }

        return (null, error ?? "the cluster has no nodes");
    }

    /// <summary>The leader first (it answers for the cluster when it can), then the others by ordinal.</summary>
    public IEnumerable<PostgresNodeRecord> MembersLeaderFirst(PatroniCluster? state) =>
        cluster.Nodes.OrderByDescending(n => n.Name == state?.Leader?.Name).ThenBy(n => n.Ordinal);
}

/// <summary>The pause of a cluster nothing pools: nothing to hold, nothing to release.</summary>
internal sealed class NoPause : IAsyncDisposable
{
    public static readonly NoPause Instance = new();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
