using Hangar.FunctionalTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>The data path never goes through the daemon. Own daemon, since it gets killed.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDaemonKillTests
{
    [Fact]
    public async Task Kill_9_of_the_daemon_drops_no_connection_refuses_none_and_the_next_daemon_adopts_everything()
    {
        await using var hangar = await HangarDaemon.StartNewAsync();
        (await hangar.RunAsync("postgres", "create", "--name", "steady")).ShouldSucceed();
        (await hangar.RunAsync("apps", "create", "api")).ShouldSucceed();
        (await hangar.RunAsync("postgres", "attach", "steady", "--app", "api")).ShouldSucceed();
        var url = await Pg.DatabaseUrlAsync(hangar, "api");
        await Pg.ExecAsync(url, "CREATE TABLE hits(n bigint)");
        var pids = new[] { "pg-steady-1", "proxy-steady" }.ToDictionary(p => p, p => hangar.ChildPid(p));

        // Traffic on one long-lived connection and on a fresh connection per round, across the kill and the restart.
        await using var open = new NpgsqlConnection(Pg.Npgsql(url));
        await open.OpenAsync();
        var errors = new List<string>();
        var rounds = 0;
        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await using (var insert = new NpgsqlCommand("INSERT INTO hits VALUES (1)", open))
                    {
                        await insert.ExecuteNonQueryAsync();
                    }

                    await using var fresh = new NpgsqlConnection(Pg.Npgsql(url));
                    await fresh.OpenAsync();
                    await using var read = new NpgsqlCommand("SELECT count(*) FROM hits", fresh);
                    await read.ExecuteScalarAsync();
                    Interlocked.Increment(ref rounds);
                }
                catch (Exception ex)
                {
                    lock (errors)
                    {
                        errors.Add(ex.Message);
                    }
                }
            }
        });

        await Poll.UntilAsync(() => Volatile.Read(ref rounds) > 20, TimeSpan.FromSeconds(30), "traffic");
        await hangar.KillAsync();
        var atKill = Volatile.Read(ref rounds);
        await Poll.UntilAsync(() => Volatile.Read(ref rounds) > atKill + 50, TimeSpan.FromSeconds(30), "traffic with the daemon dead");
        await hangar.StartAsync();
        var status = await Poll.UntilAsync(
            () => hangar.JsonAsync("postgres", "status", "-a", "steady"),
            s => s.GetProperty("nodes")[0].GetProperty("processState").GetString() == "running" && s.GetProperty("proxyState").GetString() == "running",
            TimeSpan.FromSeconds(30),
            "nodes and proxy adopted");
        var afterStart = Volatile.Read(ref rounds);
        await Poll.UntilAsync(() => Volatile.Read(ref rounds) > afterStart + 20, TimeSpan.FromSeconds(30), "traffic after the restart");
        await stop.CancelAsync();
        await traffic;

        Assert.Empty(errors);
        Assert.True(status.GetProperty("nodes")[0].GetProperty("adopted").GetBoolean(), status.ToString());
        Assert.Equal(pids["pg-steady-1"], hangar.ChildPid("pg-steady-1"));
        Assert.Equal(pids["proxy-steady"], hangar.ChildPid("proxy-steady"));
        Assert.Equal(pids["proxy-steady"], status.GetProperty("proxyPid").GetInt32());
    }

    [Fact]
    public async Task A_create_cut_short_by_a_killed_daemon_is_finished_by_the_next_one()
    {
        await using var hangar = await HangarDaemon.StartNewAsync();
        var create = hangar.RunAsync("postgres", "create", "--name", "halfway", "--initial-cluster-size", "2");

        // Kill the daemon once the first node's Patroni is running, before the cluster is ready.
        await Poll.UntilAsync(() => hangar.ChildPid("pg-halfway-1") is not null, TimeSpan.FromSeconds(60), "the first node to start");
        await hangar.KillAsync();
        Assert.NotEqual(0, (await create).ExitCode);

        await hangar.StartAsync();
        var cluster = await Poll.UntilAsync(
            () => hangar.JsonAsync("postgres", "list"),
            l => l.EnumerateArray().Any(c => c.GetProperty("name").GetString() == "halfway" && c.GetProperty("state").GetString() == "running"),
            TimeSpan.FromSeconds(120),
            "the interrupted create to finish");
        var status = await hangar.JsonAsync("postgres", "status", "-a", "halfway");
        Assert.Equal(2, status.GetProperty("nodes").GetArrayLength());
        Assert.NotNull(status.GetProperty("leader").GetString());
        (await hangar.RunAsync("postgres", "destroy", "halfway", "--yes")).ShouldSucceed();
        // The volume reconciler removes the node volumes after the destroy returns.
        await Poll.UntilAsync(async () => (await hangar.JsonAsync("volumes", "list")).GetArrayLength() == 0, TimeSpan.FromSeconds(30), "the node volumes to go");
        Assert.Null(hangar.ChildPid("pg-halfway-1"));
        Assert.NotNull(cluster.ToString());
    }

    [Fact]
    public async Task A_node_snapshot_cut_short_by_a_killed_daemon_is_taken_whole_by_the_next_one()
    {
        await using var hangar = await HangarDaemon.StartNewAsync();
        var created = await hangar.JsonAsync("postgres", "create", "--name", "snapped");
        var url = created.GetProperty("connectionString").GetString()!;
        await Pg.ExecAsync(url, "CREATE TABLE big AS SELECT g AS id, repeat(md5(g::text), 30) AS filler FROM generate_series(1, 150000) g");
        var volume = (await hangar.JsonAsync("postgres", "status", "-a", "snapped")).GetProperty("nodes")[0].GetProperty("volumeId").GetString()!;

        // Kill the daemon as soon as its consistent copy of the running node has begun (pg_basebackup into the
        // snapshot's scratch directory, then the archive): the snapshot is half made.
        var snapshots = Path.Combine(hangar.DataDir, "snapshots");
        var request = hangar.RunAsync("volumes", "snapshots", "create", volume);
        var scratch = await Poll.UntilAsync(
            () => Task.FromResult(Directory.Exists(snapshots) ? Directory.GetDirectories(snapshots, ".tmp-vs_*").FirstOrDefault() : null),
            d => d is not null,
            TimeSpan.FromSeconds(30),
            "the snapshot's scratch copy to start");
        await hangar.KillAsync();
        Assert.NotEqual(0, (await request).ExitCode);
        var snapshotId = Path.GetFileName(scratch!)[".tmp-".Length..];

        await hangar.StartAsync();
        await Poll.UntilAsync(
            () => hangar.JsonAsync("volumes", "snapshots", "list", volume),
            l => l.EnumerateArray().Any(s => s.GetProperty("id").GetString() == snapshotId),
            TimeSpan.FromSeconds(60),
            "the interrupted snapshot to be taken");
        Assert.False(Directory.Exists(scratch), "the scratch copy is removed once the archive is made");
        Assert.DoesNotContain(
            Directory.EnumerateDirectories("/proc").Select(p => Path.Combine(p, "cmdline")).Where(File.Exists).Select(ReadOrEmpty),
            commandLine => commandLine.Contains(".tmp-vs_", StringComparison.Ordinal));

        var restored = await hangar.JsonAsync("postgres", "create", "--name", "fromsnap", "--snapshot-id", snapshotId);
        Assert.Equal(150000L, Convert.ToInt64(await Pg.ScalarAsync(restored.GetProperty("connectionString").GetString()!, "SELECT count(*) FROM big")));
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
