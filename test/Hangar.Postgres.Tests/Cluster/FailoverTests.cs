using Hangar.State.Etcd;
using System.Diagnostics;
using Hangar.Postgres.Failover;
using Hangar.Postgres.Rest;
using Hangar.Postgres.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Hangar.Postgres.Tests.Cluster;

[Collection(PgClusterCollection.Name)]
public sealed class FailoverTests(PgClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Kill_9_of_the_leader_promotes_the_sync_standby_without_losing_commits_and_the_old_leader_rejoins()
    {
        var firstWrite = await KillLeaderAndMeasureAsync(releaseLeaderKey: false);
        // Bounded by the lease: ttl plus a loop and the promotion.
        Assert.True(firstWrite < TimeSpan.FromSeconds(fixture.Timing.Ttl + 5), $"first write after {firstWrite.TotalSeconds:0.0}s");
    }

    [Fact]
    public async Task Releasing_a_dead_leaders_key_fails_over_without_waiting_for_the_lease()
    {
        await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [fixture.EtcdUrl] });
        var cluster = await fixture.ClusterAsync();
        var leader = fixture.Node(cluster.Leader!.Name);
        var replica = fixture.Node(cluster.Replicas.First().Name);

        // Refused while there is any sign of life, and for a node that does not hold the key.
        Assert.Equal(LeaderRelease.PatroniAlive, await DeadLeaderRelease.ReleaseIfDeadAsync(store, leader.Options, CancellationToken.None));
        Assert.Equal(LeaderRelease.NotLeader, await DeadLeaderRelease.ReleaseIfDeadAsync(store, replica.Options, CancellationToken.None));

        var firstWrite = await KillLeaderAndMeasureAsync(releaseLeaderKey: true);
        Assert.True(firstWrite < TimeSpan.FromSeconds(fixture.Timing.Ttl), $"first write after {firstWrite.TotalSeconds:0.0}s");
    }

    /// <summary>
    /// Writes acknowledged commits, kill -9s the leader's Patroni and postmaster, waits for the first write on a
    /// survivor, checks nothing acknowledged was lost, then restarts the old leader and waits for it to follow.
    /// </summary>
    private async Task<TimeSpan> KillLeaderAndMeasureAsync(bool releaseLeaderKey)
    {
        await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var before = await fixture.ClusterAsync();
        var oldLeader = fixture.Node(before.Leader!.Name);
        var syncStandby = before.Members.Single(m => m.Role == PatroniRoles.SyncStandby).Name;
        var survivors = fixture.Nodes.Where(n => n != oldLeader).ToList();

        // Acknowledged commits just before the crash must survive it (synchronous_mode).
        var table = "failover_" + Guid.NewGuid().ToString("N")[..6];
        await Sql.ExecuteAsync(oldLeader.AdminConnectionString(), $"CREATE TABLE {table} (id int PRIMARY KEY, at timestamptz DEFAULT now())");
        await Sql.ExecuteAsync(oldLeader.AdminConnectionString(), $"INSERT INTO {table} (id) SELECT generate_series(1, 1000)");

        var stopwatch = Stopwatch.StartNew();
        oldLeader.KillHard();
        var killed = stopwatch.Elapsed;
        TimeSpan firstWrite;
        try
        {
            Assert.Null(oldLeader.PostmasterPid());
            if (releaseLeaderKey)
            {
                using var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [fixture.EtcdUrl] });
                var released = await DeadLeaderRelease.ReleaseIfDeadAsync(store, oldLeader.Options, CancellationToken.None);
                Assert.Equal(LeaderRelease.Released, released);
                output.WriteLine($"kill -9 of both processes confirmed after {killed.TotalMilliseconds:0} ms; leader key released {(stopwatch.Elapsed - killed).TotalMilliseconds:0} ms later");
            }

            // Time to the first successful write anywhere: what an application behind the proxy experiences.
            TestNode? writer = null;
            await Poll.UntilAsync("a write on a new leader", TimeSpan.FromSeconds(60), async () =>
            {
                foreach (var node in survivors)
                {
                    try
                    {
                        await using var connection = new NpgsqlConnection(node.AdminConnectionString() + ";Timeout=1");
                        await connection.OpenAsync();
                        await using var probe = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
                        if ((bool)(await probe.ExecuteScalarAsync())!)
                        {
                            continue;
                        }

                        await using var insert = new NpgsqlCommand($"INSERT INTO {table} (id) VALUES (1001)", connection);
                        await insert.ExecuteNonQueryAsync();
                        writer = node;
                        return (true, $"wrote on {node.Name}");
                    }
                    catch (NpgsqlException)
                    {
                        // Restarting or just promoted and still read-only: try the next node, then poll again.
                    }
                }

                return (false, "all survivors read-only");
            });
            firstWrite = stopwatch.Elapsed;
            var how = releaseLeaderKey ? "with the leader key released" : $"waiting for the lease (ttl={fixture.Timing.Ttl}, loop_wait={fixture.Timing.LoopWait}, retry_timeout={fixture.Timing.RetryTimeout})";
            output.WriteLine($"failover {how}: first write {firstWrite.TotalSeconds:0.0}s after kill -9, on {writer!.Name}");
            Console.WriteLine($"[pg] failover {how}: first write {firstWrite.TotalSeconds:0.0}s after kill -9");

            // With synchronous_mode only the sync standby may be promoted: it is the one with every commit.
            Assert.Equal(syncStandby, writer.Name);
            Assert.Equal(1001L, await Sql.ScalarAsync(writer.AdminConnectionString(), $"SELECT count(*) FROM {table}"));
            await Poll.UntilAsync("the new leader on a new timeline in /cluster", TimeSpan.FromSeconds(10), async () =>
            {
                var cluster = await fixture.ClusterAsync(except: oldLeader);
                return (cluster.Leader?.Name == writer.Name && cluster.Leader.Timeline > before.Leader.Timeline, $"{cluster.Leader?.Name} tl{cluster.Leader?.Timeline}");
            });
        }
        finally
        {
            // Whatever failed above, the shared cluster gets its third node back.
            if (oldLeader.PatroniPid is null)
            {
                oldLeader.Start();
            }
        }

        // The old leader is rewound onto the new timeline and follows as a replica.
        var rejoin = await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        output.WriteLine($"old leader rejoined as replica {rejoin.TotalSeconds:0.0}s after restart; total {stopwatch.Elapsed.TotalSeconds:0.0}s");
        var after = await fixture.ClusterAsync();
        Assert.NotEqual(oldLeader.Name, after.Leader!.Name);
        Assert.Contains(after.Replicas, r => r.Name == oldLeader.Name);
        Assert.Equal(1001L, await Sql.ScalarAsync(oldLeader.AdminConnectionString(), $"SELECT count(*) FROM {table}"));
        Assert.Equal(true, await Sql.ScalarAsync(oldLeader.AdminConnectionString(), "SELECT pg_is_in_recovery()"));
        return firstWrite;
    }
}
