using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hangar.Proxy.Diagnostics;
using Hangar.Proxy.Tests.TestSupport;
using Xunit.Abstractions;

namespace Hangar.Proxy.Tests.Leadership;

public sealed class LeaderFollowingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task New_connections_go_to_the_node_whose_Patroni_answers_200()
    {
        await using var cluster = await TestCluster.StartAsync(output, nodeCount: 3, leader: 1);
        var accepted = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == cluster.Proxy.Meter && instrument.Name == "hangar.proxy.connections")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref accepted, value));
        listener.Start();

        await cluster.WaitForLeaderAsync("db-2");
        for (var i = 0; i < 3; i++)
        {
            using var client = await cluster.ConnectAsync();
            Assert.Equal("db-2", await client.ReadGreetingAsync());
            await client.SendAsync("hello");
            Assert.Equal("hello", await client.ReadExactlyAsync(5));
        }

        Assert.Equal(3, cluster[1].Backend.Accepted);
        Assert.Equal(0, cluster[0].Backend.Accepted + cluster[2].Backend.Accepted);
        Assert.Equal(3, Interlocked.Read(ref accepted));
    }

    [Fact]
    public async Task Leader_flip_closes_old_connections_and_routes_new_ones_within_one_second()
    {
        await using var cluster = await TestCluster.StartAsync(output, nodeCount: 2, leader: 0);
        await cluster.WaitForLeaderAsync("db-1");
        using var old1 = await cluster.ConnectAsync();
        using var old2 = await cluster.ConnectAsync();
        Assert.Equal("db-1", await old1.ReadGreetingAsync());
        Assert.Equal("db-1", await old2.ReadGreetingAsync());
        await Eventually.TrueAsync(() => cluster.Proxy.Registry.Count == 2, TimeSpan.FromSeconds(5), "two forwarded connections");

        var flip = Stopwatch.StartNew();
        cluster[0].Patroni.IsLeader = false;
        cluster[1].Patroni.IsLeader = true;

        var closed1 = old1.ReadToEndAsync(TimeSpan.FromSeconds(1));
        var closed2 = old2.ReadToEndAsync(TimeSpan.FromSeconds(1));
        Assert.NotNull(await closed1);
        Assert.NotNull(await closed2);
        var closedAfter = flip.Elapsed;

        using var fresh = await cluster.ConnectAsync();
        Assert.Equal("db-2", await fresh.ReadGreetingAsync());
        var routedAfter = flip.Elapsed;
        output.WriteLine($"old connections closed after {closedAfter.TotalMilliseconds:0} ms, new one on db-2 after {routedAfter.TotalMilliseconds:0} ms");
        Assert.True(routedAfter < TimeSpan.FromSeconds(1), $"new leader reached after {routedAfter.TotalMilliseconds:0} ms");
        Assert.Equal(1, cluster.Proxy.Registry.Count);
    }

    [Fact]
    public async Task Without_a_leader_a_new_connection_waits_and_proceeds_when_one_appears()
    {
        await using var cluster = await TestCluster.StartAsync(output, nodeCount: 2, leader: -1);
        await Eventually.TrueAsync(() => cluster[0].Patroni.Requests > 2 && cluster[1].Patroni.Requests > 2, TimeSpan.FromSeconds(5), "probes of both nodes");

        using var client = await cluster.ConnectAsync();
        // The client speaks first, as a PostgreSQL client does; the bytes wait in the socket.
        await client.SendAsync("startup");
        await Task.Delay(300);
        Assert.Equal(0, cluster[0].Backend.Accepted + cluster[1].Backend.Accepted);

        cluster[1].Patroni.IsLeader = true;
        Assert.Equal("db-2", await client.ReadGreetingAsync(TimeSpan.FromSeconds(3)));
        Assert.Equal("startup", await client.ReadExactlyAsync(7));
    }

    [Fact]
    public async Task Without_a_leader_a_new_connection_is_closed_after_the_wait_bound()
    {
        await using var cluster = await TestCluster.StartAsync(output, nodeCount: 2, leader: -1, c => c with { LeaderWaitTimeout = TimeSpan.FromMilliseconds(600) });
        using var client = await cluster.ConnectAsync();
        var watch = Stopwatch.StartNew();
        var rest = await client.ReadToEndAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("", rest);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(3));
        Assert.Equal(0, cluster[0].Backend.Accepted + cluster[1].Backend.Accepted);
    }

    [Fact]
    public async Task While_two_nodes_claim_leadership_the_current_leader_is_kept()
    {
        await using var cluster = await TestCluster.StartAsync(output, nodeCount: 2, leader: 0);
        await cluster.WaitForLeaderAsync("db-1");
        using var old = await cluster.ConnectAsync();
        Assert.Equal("db-1", await old.ReadGreetingAsync());

        cluster[1].Patroni.IsLeader = true;
        var requests = cluster[0].Patroni.Requests;
        await Eventually.TrueAsync(() => cluster[1].Patroni.Requests > requests + 3 && cluster[0].Patroni.Requests > requests + 3, TimeSpan.FromSeconds(5), "several probe rounds");
        Assert.Equal("db-1", cluster.Proxy.Tracker.Current.Leader?.Name);
        await old.SendAsync("still");
        Assert.Equal("still", await old.ReadExactlyAsync(5));
        using (var fresh = await cluster.ConnectAsync())
        {
            Assert.Equal("db-1", await fresh.ReadGreetingAsync());
        }

        // Once the old leader gives up, the other claimant takes over.
        cluster[0].Patroni.IsLeader = false;
        Assert.NotNull(await old.ReadToEndAsync(TimeSpan.FromSeconds(1)));
        using var next = await cluster.ConnectAsync();
        Assert.Equal("db-2", await next.ReadGreetingAsync());
    }

    [Fact]
    public async Task An_unreachable_leader_is_kept_for_the_grace_period_then_new_connections_wait()
    {
        await using var cluster = await TestCluster.StartAsync(output, nodeCount: 2, leader: 0, c => c with { LeaderUnreachableGrace = TimeSpan.FromSeconds(1.5) });
        await cluster.WaitForLeaderAsync("db-1");
        using var client = await cluster.ConnectAsync();
        Assert.Equal("db-1", await client.ReadGreetingAsync());

        // Patroni's REST API dies, PostgreSQL behind it is still up.
        await cluster[0].Patroni.DisposeAsync();
        var down = Stopwatch.StartNew();
        await Eventually.TrueAsync(
            () => cluster.Proxy.Tracker.Observations.Any(o => o.Node.Name == "db-1" && o.Outcome == Hangar.Proxy.Leadership.ProbeOutcome.Unreachable),
            TimeSpan.FromSeconds(5),
            "db-1 seen unreachable");
        if (down.Elapsed < TimeSpan.FromSeconds(1))
        {
            Assert.Equal("db-1", cluster.Proxy.Tracker.Current.Leader?.Name);
        }

        await cluster.WaitForLeaderAsync(null);
        Assert.True(down.Elapsed >= TimeSpan.FromSeconds(1.4), $"leader dropped after {down.Elapsed.TotalMilliseconds:0} ms");

        // Its connections are not cut: the node may well still be serving them.
        await client.SendAsync("alive");
        Assert.Equal("alive", await client.ReadExactlyAsync(5));
    }
}
