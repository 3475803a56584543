using System.Collections.Concurrent;
using System.Diagnostics;
using Hangar.FunctionalTests.Infrastructure;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Hangar.FunctionalTests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresProductionTests(ProductionCluster cluster, ITestOutputHelper output) : IClassFixture<ProductionCluster>
{
    private HangarDaemon Hangar => cluster.Hangar;

    [Fact]
    public async Task Killing_the_leader_loses_no_acknowledged_commit_and_the_old_leader_returns_as_a_replica()
    {
        output.WriteLine($"production create took {cluster.CreateTime.TotalSeconds:0.0}s");
        var before = await cluster.HealthyAsync(3, TimeSpan.FromSeconds(60));
        var leader = before.GetProperty("leader").GetString()!;
        var leaderNode = before.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == leader);
        var ordinal = leader[(leader.LastIndexOf('-') + 1)..];

        // A writer that records every commit the server acknowledged, through the cluster port, reconnecting on errors.
        var acknowledged = new ConcurrentBag<long>();
        using var stop = new CancellationTokenSource();
        var killedAt = Stopwatch.StartNew();
        var firstAfterKill = TimeSpan.Zero;
        var killed = false;
        var writer = Task.Run(async () =>
        {
            var id = 1_000_000L;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await using var connection = new NpgsqlConnection(Pg.Npgsql(cluster.Url, timeoutSeconds: 3));
                    await connection.OpenAsync();
                    while (!stop.IsCancellationRequested)
                    {
                        var next = Interlocked.Increment(ref id);
                        var startedAfterKill = Volatile.Read(ref killed);
                        await using var insert = new NpgsqlCommand($"INSERT INTO entries VALUES ({next}, 'w')", connection);
                        await insert.ExecuteNonQueryAsync();
                        acknowledged.Add(next);
                        if (startedAfterKill && firstAfterKill == TimeSpan.Zero)
                        {
                            firstAfterKill = killedAt.Elapsed;
                        }
                    }
                }
                catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
                {
                    await Task.Delay(20);
                }
            }
        });

        await Poll.UntilAsync(() => acknowledged.Count > 200, TimeSpan.FromSeconds(30), "writes before the kill");
        Pg.KillNode(Hangar, Pg.VolumePath(Hangar, leaderNode.GetProperty("volumeId").GetString()!), "pg-prod-" + ordinal);

        // Both are dead once kill(1) returned; only writes begun from here count for the failover time.
        killedAt.Restart();
        Volatile.Write(ref killed, true);
        await Poll.UntilAsync(() => firstAfterKill != TimeSpan.Zero, TimeSpan.FromSeconds(60), "a write on the new leader");
        var afterKill = acknowledged.Count;
        await Poll.UntilAsync(() => acknowledged.Count > afterKill + 200, TimeSpan.FromSeconds(30), "writes after failover");
        await stop.CancelAsync();
        await writer;
        output.WriteLine($"first acknowledged write {firstAfterKill.TotalSeconds:0.00}s after kill -9 of {leader}");
        Assert.True(firstAfterKill < TimeSpan.FromSeconds(10), $"failover took {firstAfterKill}");

        // Every acknowledged commit is on the new leader.
        var ids = new HashSet<long>();
        await using (var connection = new NpgsqlConnection(Pg.Npgsql(cluster.Url)))
        {
            await connection.OpenAsync();
            await using var select = new NpgsqlCommand("SELECT id FROM entries WHERE id > 1000000", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        var lost = acknowledged.Where(a => !ids.Contains(a)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged commits lost, e.g. {string.Join(",", lost.Take(5))}");

        // The old leader is restarted by the supervisor and rejoins as a replica by itself.
        var after = await cluster.HealthyAsync(3, TimeSpan.FromSeconds(90));
        Assert.NotEqual(leader, after.GetProperty("leader").GetString());
        var old = after.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == leader);
        Assert.NotEqual("leader", old.GetProperty("role").GetString());
        Assert.Contains("released its leader key", await File.ReadAllTextAsync(Path.Combine(Hangar.DataDir, "logs", "hangar.log")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failover_restart_config_and_scale_each_end_healthy_with_the_data_intact()
    {
        var start = await cluster.HealthyAsync(3, TimeSpan.FromSeconds(90));
        var count = await Pg.ScalarAsync(cluster.Url, "SELECT count(*) FROM entries");

        var failover = await Hangar.JsonAsync("postgres", "failover", "-a", ProductionCluster.Name);
        Assert.Equal(start.GetProperty("leader").GetString(), failover.GetProperty("oldLeader").GetString());
        var status = await cluster.HealthyAsync(3, TimeSpan.FromSeconds(60));
        Assert.Equal(failover.GetProperty("newLeader").GetString(), status.GetProperty("leader").GetString());
        Assert.Equal(count, await Pg.ScalarAsync(cluster.Url, "SELECT count(*) FROM entries"));

        var restart = await Hangar.JsonAsync("postgres", "restart", "-a", ProductionCluster.Name);
        Assert.Equal(3, restart.GetProperty("restarted").GetArrayLength());
        Assert.Equal(status.GetProperty("leader").GetString(), restart.GetProperty("restarted")[2].GetString());
        await cluster.HealthyAsync(3, TimeSpan.FromSeconds(60));
        await Pg.ExecAsync(cluster.Url, "INSERT INTO entries VALUES (5000001, 'after restart')");

        // A reload-only change applies at once; a restart-only one says so, and --force restarts.
        var reload = (await Hangar.RunAsync("postgres", "config", "update", "-a", ProductionCluster.Name, "--work-mem", "8MB", "--log-min-duration-statement", "250")).ShouldSucceed();
        Assert.DoesNotContain("restart is required", reload.Stdout, StringComparison.Ordinal);
        Assert.Equal("8MB", await Pg.ScalarAsync(cluster.Url, "SHOW work_mem"));
        var pending = (await Hangar.RunAsync("postgres", "config", "update", "-a", ProductionCluster.Name, "--max-connections", "150")).ShouldSucceed();
        Assert.Contains("restart is required", pending.Stdout, StringComparison.Ordinal);
        var forced = await Hangar.JsonAsync("postgres", "config", "update", "-a", ProductionCluster.Name, "--max-connections", "160", "--force");
        Assert.True(forced.GetProperty("restarted").GetBoolean());
        await cluster.HealthyAsync(3, TimeSpan.FromSeconds(60));
        Assert.Equal("160", await Pg.ScalarAsync(cluster.Url, "SHOW max_connections"));
        var shown = await Hangar.JsonAsync("postgres", "config", "show", "-a", ProductionCluster.Name);
        Assert.Equal("160", shown.GetProperty("parameters").GetProperty("max_connections").GetString());

        // Scale down keeps the leader; scale up clones a new replica that catches up.
        var leader = (await cluster.HealthyAsync(3, TimeSpan.FromSeconds(60))).GetProperty("leader").GetString();
        (await Hangar.RunAsync("scale", "count", "2", "-a", ProductionCluster.Name)).ShouldSucceed();
        var two = await cluster.HealthyAsync(2, TimeSpan.FromSeconds(60));
        Assert.Equal(leader, two.GetProperty("leader").GetString());
        Assert.Equal(2, (await Hangar.JsonAsync("volumes", "list")).EnumerateArray().Count(v => v.GetProperty("name").GetString()!.StartsWith("pg-prod-", StringComparison.Ordinal)));
        (await Hangar.RunAsync("scale", "count", "3", "-a", ProductionCluster.Name)).ShouldSucceed();
        var three = await cluster.HealthyAsync(3, TimeSpan.FromSeconds(90));
        var expected = (long)count! + 1;
        foreach (var node in three.GetProperty("nodes").EnumerateArray())
        {
            // Each node directly (Fly's 5433): the new replica has every row too.
            var direct = new UriBuilder(cluster.Url) { Port = node.GetProperty("pgPort").GetInt32() }.Uri.ToString();
            await Poll.UntilAsync(
                async () =>
                {
                    try
                    {
                        return (long)(await Pg.ScalarAsync(direct, "SELECT count(*) FROM entries WHERE id <= 1000 OR id = 5000001"))! >= 1001;
                    }
                    catch (NpgsqlException)
                    {
                        // A node restarted by the rolling restart or just cloned may still be starting up.
                        return false;
                    }
                },
                TimeSpan.FromSeconds(30),
                "rows on " + node.GetProperty("name").GetString());
        }

        Assert.True((long)(await Pg.ScalarAsync(cluster.Url, "SELECT count(*) FROM entries"))! >= expected);
    }

    [Fact]
    public async Task Fork_and_snapshot_restore_start_new_clusters_with_the_data_and_new_credentials()
    {
        await cluster.HealthyAsync(3, TimeSpan.FromSeconds(90));
        await Pg.ExecAsync(cluster.Url, "INSERT INTO entries VALUES (7000001, 'to be copied') ON CONFLICT DO NOTHING");
        await Pg.ExecAsync(cluster.SuperuserUrl, "CHECKPOINT");

        var fork = await Hangar.JsonAsync("postgres", "create", "--name", "forked", "--fork-from", ProductionCluster.Name);
        var forkUrl = fork.GetProperty("connectionString").GetString()!;
        Assert.Equal("to be copied", await Pg.ScalarAsync(Pg.WithDatabase(forkUrl, "ledger"), "SELECT note FROM entries WHERE id = 7000001"));

        // New superuser credentials: the source's password does not open the fork.
        var sourceSuperuserOnFork = new UriBuilder(cluster.SuperuserUrl) { Port = fork.GetProperty("proxyPort").GetInt32() }.Uri.ToString();
        Assert.Equal("28P01", (await Assert.ThrowsAsync<PostgresException>(() => Pg.ScalarAsync(sourceSuperuserOnFork, "SELECT 1"))).SqlState);

        // A snapshot of the leader's volume, restored as a new cluster (crash recovery replays its WAL to the end).
        var status = await Hangar.JsonAsync("postgres", "status", "-a", ProductionCluster.Name);
        var leaderNode = status.GetProperty("nodes").EnumerateArray().First(n => n.GetProperty("role").GetString() == "leader");
        var snapshot = await Hangar.JsonAsync("volumes", "snapshots", "create", leaderNode.GetProperty("volumeId").GetString()!);
        var restored = await Hangar.JsonAsync("postgres", "create", "--name", "restored", "--snapshot-id", snapshot.GetProperty("id").GetString()!);
        var restoredUrl = restored.GetProperty("connectionString").GetString()!;
        Assert.Equal("to be copied", await Pg.ScalarAsync(Pg.WithDatabase(restoredUrl, "ledger"), "SELECT note FROM entries WHERE id = 7000001"));
        Assert.NotEqual(restored.GetProperty("password").GetString(), fork.GetProperty("password").GetString());

        (await Hangar.RunAsync("postgres", "destroy", "forked", "--yes")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "destroy", "restored", "--yes")).ShouldSucceed();
    }
}
