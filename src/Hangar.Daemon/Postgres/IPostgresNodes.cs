using Hangar.Core.Resources;
using Hangar.Postgres.Rest;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// What the Postgres reconcile steps do to processes and files: the seam where unit tests put a fake, so the steps
/// themselves run against the in-memory store and a fake clock.
/// </summary>
internal interface IPostgresNodes
{
    bool IsSupervised(string process);

    /// <summary>Names of the supervised Postgres nodes and proxies (pg-*, proxy-*).</summary>
    IReadOnlyList<string> SupervisedNames();

    /// <summary>Writes the node's files and starts its Patroni (adopting a running one) without waiting for it.</summary>
    Task StartNodeAsync(PostgresRecord cluster, PostgresNodeRecord node, CancellationToken cancellationToken);

    /// <summary>Writes proxy.json for the nodes and starts the proxy when it is not supervised; true when the file changed.</summary>
    Task<bool> EnsureProxyAsync(PostgresRecord cluster, CancellationToken cancellationToken);

    Task<(PatroniCluster? Cluster, string? Error)> ClusterStateAsync(PostgresRecord cluster, CancellationToken cancellationToken);

    /// <summary>The node the proxy routes to, as its status file says.</summary>
    string? ProxyLeader(string cluster);

    Task StopNodeAsync(string cluster, PostgresNodeRecord node, CancellationToken cancellationToken);

    Task StopProxyAsync(PostgresRecord cluster, CancellationToken cancellationToken);

    Task StopAsync(string process, CancellationToken cancellationToken);

    /// <summary>The cluster's directory and the nodes' socket directories.</summary>
    void DeleteFiles(PostgresRecord cluster);

    Task SeedAsync(PostgresRecord cluster, PostgresNodeRecord node, CancellationToken cancellationToken);

    Task ResetCredentialsAsync(PostgresRecord cluster, PostgresNodeRecord leader, CancellationToken cancellationToken);
}
