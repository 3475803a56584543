using System.Diagnostics;
using Hangar.Proxy.Tests.TestSupport;
using Xunit.Abstractions;

namespace Hangar.Proxy.Tests;

public sealed class ProxyHostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Disposing_the_host_closes_forwarded_and_waiting_connections_promptly()
    {
        var cluster = await TestCluster.StartAsync(output, nodeCount: 1, leader: 0);
        try
        {
            using var forwarded = await cluster.ConnectAsync();
            Assert.Equal("db-1", await forwarded.ReadGreetingAsync());

            cluster[0].Patroni.IsLeader = false;
            await cluster.WaitForLeaderAsync(null);
            using var waiting = await cluster.ConnectAsync();
            await Eventually.TrueAsync(() => cluster.Proxy.Snapshot().TotalConnections == 2, TimeSpan.FromSeconds(5), "the second connection to be accepted");

            // The demotion closed the first connection; this one, to the re-elected leader, can only
            // be ended by the disposal.
            cluster[0].Patroni.IsLeader = true;
            using var third = await cluster.ConnectAsync();
            Assert.Equal("db-1", await third.ReadGreetingAsync());

            var watch = Stopwatch.StartNew();
            await cluster.Proxy.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            output.WriteLine($"disposed in {watch.ElapsedMilliseconds} ms");
            Assert.NotNull(await third.ReadToEndAsync(TimeSpan.FromSeconds(1)));
            Assert.NotNull(await waiting.ReadToEndAsync(TimeSpan.FromSeconds(1)));
            Assert.Equal(0, cluster.Proxy.Registry.Count);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
