using Hangar.Core.Resources;
using Hangar.Postgres.Rest;
using Hangar.Supervision;

namespace Hangar.Daemon.Postgres;

/// <summary>The real <see cref="IPostgresNodes"/>: Patroni and proxy processes under the supervisor, files through <see cref="PostgresRuntime"/>.</summary>
internal sealed class PostgresNodes(Supervisor supervisor, PostgresRuntime runtime, PostgresSeeder seeder) : IPostgresNodes
{
    public bool IsSupervised(string process) => supervisor.Status(process) is not null;

    public IReadOnlyList<string> SupervisedNames() =>
        [.. supervisor.List().Select(p => p.Name).Where(n => n.StartsWith("pg-", StringComparison.Ordinal) || n.StartsWith("proxy-", StringComparison.Ordinal))];

    public async Task StartNodeAsync(PostgresRecord cluster, PostgresNodeRecord node, CancellationToken cancellationToken)
    {
        var spec = await runtime.PrepareNodeAsync(cluster, node, cancellationToken);
        await supervisor.EnsureStartedAsync(spec, cancellationToken);
    }

    public async Task<bool> EnsureProxyAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var written = runtime.WriteProxyConfig(cluster);
        if (supervisor.Status(PostgresKeys.ProxyProcess(cluster.Name)) is null)
        {
            await supervisor.EnsureStartedAsync(runtime.ProxySpec(cluster), cancellationToken);
        }

        return written;
    }

    public Task<(PatroniCluster? Cluster, string? Error)> ClusterStateAsync(PostgresRecord cluster, CancellationToken cancellationToken) =>
        runtime.ClusterStateAsync(cluster, cancellationToken);

    public string? ProxyLeader(string cluster) => runtime.ProxyStatus(cluster)?.Leader;

    public async Task StopNodeAsync(string cluster, PostgresNodeRecord node, CancellationToken cancellationToken)
    {
        var spec = runtime.NodeStopSpec(cluster, node);
        await supervisor.StopAsync(spec.Name, cancellationToken);
        await supervisor.StopOrphanAsync(spec, cancellationToken);
    }

    public async Task StopProxyAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var proxy = runtime.ProxySpec(cluster);
        await supervisor.StopAsync(proxy.Name, cancellationToken);
        await supervisor.StopOrphanAsync(proxy, cancellationToken);
    }

    public Task StopAsync(string process, CancellationToken cancellationToken) => supervisor.StopAsync(process, cancellationToken);

    public void DeleteFiles(PostgresRecord cluster)
    {
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

    public Task SeedAsync(PostgresRecord cluster, PostgresNodeRecord node, CancellationToken cancellationToken) => seeder.SeedAsync(cluster, node, cancellationToken);

    public Task ResetCredentialsAsync(PostgresRecord cluster, PostgresNodeRecord leader, CancellationToken cancellationToken) =>
        seeder.ResetCredentialsAsync(cluster, leader, cancellationToken);
}
