using System.Collections.Immutable;
using System.Net;
using Hangar.Proxy.Configuration;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Hangar.Proxy.Tests.TestSupport;

/// <summary>Fake Patroni endpoints and echo backends for N nodes, plus an in-process proxy in front of them.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;

    private TestCluster(ImmutableArray<TestNode> nodes, ProxyHost proxy, ILoggerFactory loggerFactory)
    {
        Nodes = nodes;
        Proxy = proxy;
        _loggerFactory = loggerFactory;
    }

    public ImmutableArray<TestNode> Nodes { get; }

    public ProxyHost Proxy { get; }

    public TestNode this[int index] => Nodes[index];

    public static ProxyConfig BaseConfig(IEnumerable<TestNode> nodes) => new()
    {
        Cluster = "db",
        Listen = new IPEndPoint(IPAddress.Loopback, 0),
        Nodes = [.. nodes.Select(n => n.Config)],
        PollInterval = TimeSpan.FromMilliseconds(100),
        ProbeTimeout = TimeSpan.FromMilliseconds(500),
        LeaderWaitTimeout = TimeSpan.FromSeconds(10),
    };

    /// <param name="leader">Index of the node whose Patroni answers 200 at start, or -1 for none.</param>
    public static async Task<TestCluster> StartAsync(ITestOutputHelper output, int nodeCount, int leader, Func<ProxyConfig, ProxyConfig>? tune = null, string? statusPath = null)
    {
        var nodes = await Task.WhenAll(Enumerable.Range(0, nodeCount).Select(i => TestNode.StartAsync($"db-{i + 1}", i == leader)));
        var config = BaseConfig(nodes);
        config = tune?.Invoke(config) ?? config;
        var loggerFactory = TestOutputLoggerProvider.Factory(output);
        var proxy = ProxyHost.Start(config, statusPath, loggerFactory, TimeProvider.System);
        return new TestCluster([.. nodes], proxy, loggerFactory);
    }

    public Task<TestClient> ConnectAsync() => TestClient.ConnectAsync(Proxy.ListenEndPoint);

    public Task WaitForLeaderAsync(string? name) =>
        Eventually.TrueAsync(() => Proxy.Tracker.Current.Leader?.Name == name, TimeSpan.FromSeconds(5), $"leader {name ?? "none"}");

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        _loggerFactory.Dispose();
    }
}
