using System.Collections.Concurrent;
using Hangar.Core.Resources;
using Hangar.Daemon.Postgres;
using Hangar.Postgres.Rest;

namespace Hangar.Daemon.Tests.Postgres;

/// <summary>
/// Processes that start at once and a Patroni that reports the first node leading and the others streaming, except
/// for the clusters told to hang: their Patroni REST call never answers, as one timing out.
/// </summary>
internal sealed class FakePostgresNodes : IPostgresNodes
{
    private readonly ConcurrentDictionary<string, bool> _supervised = new(StringComparer.Ordinal);

    public TaskCompletionSource Hung { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentDictionary<string, bool> Hanging { get; } = new(StringComparer.Ordinal);

    /// <summary>Clusters whose Patroni answers but elects no leader (a bootstrap that never finishes).</summary>
    public ConcurrentDictionary<string, bool> Leaderless { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Started { get; } = new();

    public ConcurrentQueue<string> Stopped { get; } = new();

    public bool IsSupervised(string process) => _supervised.ContainsKey(process);

    public IReadOnlyList<string> SupervisedNames() => [.. _supervised.Keys];

    public Task StartNodeAsync(PostgresRecord cluster, PostgresNodeRecord node, CancellationToken cancellationToken)
    {
        _supervised[PostgresKeys.NodeProcess(cluster.Name, node.Ordinal)] = true;
        Started.Enqueue(node.Name);
        return Task.CompletedTask;
    }

    public Task<bool> EnsureProxyAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        _supervised[PostgresKeys.ProxyProcess(cluster.Name)] = true;
        return Task.FromResult(false);
    }

    public async Task<(PatroniCluster? Cluster, string? Error)> ClusterStateAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        if (Hanging.ContainsKey(cluster.Name))
        {
            await Hung.Task.WaitAsync(cancellationToken);
            return (null, "no answer");
        }

        var running = cluster.Nodes.Where(n => IsSupervised(PostgresKeys.NodeProcess(cluster.Name, n.Ordinal))).OrderBy(n => n.Ordinal).ToList();
        var leaderless = Leaderless.ContainsKey(cluster.Name);
        var members = running.Select((n, i) => new PatroniMember(n.Name, i == 0 && !leaderless ? PatroniRoles.Leader : PatroniRoles.Replica, i == 0 || leaderless ? "running" : "streaming", "127.0.0.1", n.PgPort, 1, 0, false, null)).ToList();
        return (new PatroniCluster(cluster.Name, members, false), null);
    }

    public string? ProxyLeader(string cluster) => Hanging.ContainsKey(cluster) ? null : cluster + "-1";

    public Task StopNodeAsync(string cluster, PostgresNodeRecord node, CancellationToken cancellationToken)
    {
        _supervised.TryRemove(PostgresKeys.NodeProcess(cluster, node.Ordinal), out _);
        Stopped.Enqueue(node.Name);
        return Task.CompletedTask;
    }

    public Task StopProxyAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        _supervised.TryRemove(PostgresKeys.ProxyProcess(cluster.Name), out _);
        return Task.CompletedTask;
    }

    public Task StopAsync(string process, CancellationToken cancellationToken)
    {
        _supervised.TryRemove(process, out _);
        return Task.CompletedTask;
    }

    public void DeleteFiles(PostgresRecord cluster)
    {
    }

    public Task SeedAsync(PostgresRecord cluster, PostgresNodeRecord node, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ResetCredentialsAsync(PostgresRecord cluster, PostgresNodeRecord leader, CancellationToken cancellationToken) => Task.CompletedTask;
}
