using System.Collections.Concurrent;
using System.Diagnostics;
using Hangar.FunctionalTests.Infrastructure;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Hangar.FunctionalTests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed partial class PostgresProductionTests(ProductionCluster cluster, ITestOutputHelper output) : IClassFixture<ProductionCluster>
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

        // The cluster port is steered to the new leader's own socket again: its backend holds the cluster-port end.
        var clusterPort = new Uri(cluster.Url).Port;
        await Poll.UntilAsync(() => Pg.ScalarAsync(cluster.Url, "SELECT inet_server_port()"), p => Convert.ToInt32(p) == clusterPort, TimeSpan.FromSeconds(10), "connections steered to the new leader");
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
    public async Task Fork_and_a_replica_snapshot_taken_under_writes_start_new_clusters_with_consistent_data_and_new_credentials()
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

        // A snapshot of a replica's volume taken while a writer commits pairs of rows (one transaction each),
        // restored as a new cluster: the copy is a point in time (a base backup of that node), so it has the row
        // the replica had replayed before the snapshot and never one half of a pair.
        await Pg.ExecAsync(cluster.Url, "CREATE TABLE IF NOT EXISTS twins(id bigint primary key)");
        await Pg.ExecAsync(cluster.Url, "INSERT INTO entries VALUES (7000002, 'before the snapshot') ON CONFLICT DO NOTHING");
        var status = await cluster.HealthyAsync(3, TimeSpan.FromSeconds(60));
        var replica = status.GetProperty("nodes").EnumerateArray().First(n => n.GetProperty("role").GetString() != "leader");
        var onReplica = new UriBuilder(cluster.Url) { Port = replica.GetProperty("pgPort").GetInt32() }.Uri.ToString();
        await Poll.UntilAsync(() => Pg.ScalarAsync(onReplica, "SELECT count(*) FROM entries WHERE id = 7000002"), n => Convert.ToInt64(n) == 1, TimeSpan.FromSeconds(10), "the row replayed on the replica");

        using var stopWriter = new CancellationTokenSource();
        var pairs = 0;
        var writer = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(Pg.Npgsql(cluster.Url));
            await connection.OpenAsync();
            for (var id = 8_000_000L; !stopWriter.IsCancellationRequested; id++)
            {
                await using var pair = new NpgsqlCommand($"INSERT INTO entries VALUES ({id}, 'twin'); INSERT INTO twins VALUES ({id})", connection);
                await pair.ExecuteNonQueryAsync();
                Interlocked.Increment(ref pairs);
            }
        });
        await Poll.UntilAsync(() => Volatile.Read(ref pairs) > 100, TimeSpan.FromSeconds(30), "pairs written before the snapshot");
        var snapshot = await Hangar.JsonAsync("volumes", "snapshots", "create", replica.GetProperty("volumeId").GetString()!);
        var duringSnapshot = Volatile.Read(ref pairs);
        await stopWriter.CancelAsync();
        await writer;
        output.WriteLine($"{duringSnapshot} pairs committed by the end of the snapshot");

        // The node's data in the archive is a base backup (its backup_label says where recovery must reach), not the live files.
        var entries = new List<string>();
        await using (var archive = File.OpenRead(Path.Combine(Hangar.DataDir, "snapshots", snapshot.GetProperty("id").GetString()! + ".tar.gz")))
        await using (var gzip = new System.IO.Compression.GZipStream(archive, System.IO.Compression.CompressionMode.Decompress))
        await using (var tar = new System.Formats.Tar.TarReader(gzip))
        {
            while (await tar.GetNextEntryAsync() is { } entry)
            {
                entries.Add(entry.Name);
            }
        }

        Assert.Contains("data/backup_label", entries);
        Assert.DoesNotContain("data/postmaster.pid", entries);
        Assert.Contains("post-bootstrap.sh", entries);

        // The node's credentials stay out: the restored cluster gets its own (docs/ARCHITECTURE.md, "File modes").
        Assert.DoesNotContain(entries, name => name is "patroni.json" or "pgpass" or "post-bootstrap.sql" or "tls/server.key");

        var restored = await Hangar.JsonAsync("postgres", "create", "--name", "restored", "--snapshot-id", snapshot.GetProperty("id").GetString()!);
        var restoredLedger = Pg.WithDatabase(restored.GetProperty("connectionString").GetString()!, "ledger");
        Assert.Equal("to be copied", await Pg.ScalarAsync(restoredLedger, "SELECT note FROM entries WHERE id = 7000001"));
        Assert.Equal("before the snapshot", await Pg.ScalarAsync(restoredLedger, "SELECT note FROM entries WHERE id = 7000002"));
        var halves = Convert.ToInt64(await Pg.ScalarAsync(restoredLedger,
            "SELECT count(*) FROM (SELECT id FROM entries WHERE note = 'twin') e FULL JOIN twins t USING (id) WHERE e.id IS NULL OR t.id IS NULL"));
        Assert.Equal(0, halves);
        Assert.InRange(Convert.ToInt64(await Pg.ScalarAsync(restoredLedger, "SELECT count(*) FROM twins")), 1, duringSnapshot);
        Assert.NotEqual(restored.GetProperty("password").GetString(), fork.GetProperty("password").GetString());

        (await Hangar.RunAsync("postgres", "destroy", "forked", "--yes")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "destroy", "restored", "--yes")).ShouldSucceed();
    }
}
