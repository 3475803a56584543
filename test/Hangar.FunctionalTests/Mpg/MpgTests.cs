using System.Collections.Concurrent;
using System.Diagnostics;
using Hangar.FunctionalTests.Infrastructure;
using Hangar.FunctionalTests.Postgres;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Hangar.FunctionalTests.Mpg;

/// <summary>`hangar mpg`: the pool under a connection storm, across an unplanned and a planned leader change, and its faults.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MpgTests(MpgCluster cluster, ITestOutputHelper output) : IClassFixture<MpgCluster>
{
    private const int Clients = 1000;

    private HangarDaemon Hangar => cluster.Hangar;

    [Fact]
    public async Task A_thousand_clients_are_refused_direct_with_too_many_connections_and_all_served_through_the_pool()
    {
        // Direct: max_connections 100, so most of 1,000 concurrent clients are refused (the seed's "connection pool hell").
        var direct = await StormAsync(cluster.DirectUrl);
        output.WriteLine($"direct: {direct.Served} served, {direct.Errors.Count} refused: {Summary(direct.Errors)}");
        Assert.Contains(direct.Errors, e => e.Contains("53300", StringComparison.Ordinal));

        // Through the pool: every client served, none refused.
        var pooled = await StormAsync(cluster.PooledUrl);
        output.WriteLine($"pooled: {pooled.Served} served, {pooled.Errors.Count} errors in {pooled.Elapsed.TotalSeconds:0.0}s {Summary(pooled.Errors)}");
        Assert.Empty(pooled.Errors);
        Assert.Equal(Clients, pooled.Served);
    }

    [Fact]
    public async Task Killing_the_leader_under_load_moves_the_pools_server_connections_to_the_new_leader()
    {
        var before = await cluster.HealthyAsync(TimeSpan.FromSeconds(90));
        var leader = before.GetProperty("postgres").GetProperty("leader").GetString()!;
        var leaderNode = before.GetProperty("postgres").GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == leader);

        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var killedAt = TimeSpan.MaxValue;
        var firstErrorAt = TimeSpan.MaxValue;
        var firstAfterKill = TimeSpan.Zero;
        var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await using var connection = new NpgsqlConnection(Pg.Npgsql(cluster.PooledUrl, timeoutSeconds: 10));
                    await connection.OpenAsync();
                    while (!stop.IsCancellationRequested)
                    {
                        var started = clock.Elapsed;
                        await using var insert = new NpgsqlCommand("INSERT INTO orders(note) VALUES ('under load')", connection);
                        await insert.ExecuteNonQueryAsync();
                        // Backends of a killed postmaster may still commit a moment; the clients resume once a
                        // transaction that began after the pool saw the old leader go has committed.
                        if (started > firstErrorAt && firstAfterKill == TimeSpan.Zero)
                        {
                            firstAfterKill = clock.Elapsed - killedAt;
                        }
                    }
                }
                catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
                {
                    if (clock.Elapsed > killedAt && firstErrorAt == TimeSpan.MaxValue)
                    {
                        firstErrorAt = clock.Elapsed;
                    }

                    await Task.Delay(50);
                }
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(2));
        killedAt = clock.Elapsed;
        Pg.KillNode(Hangar, Pg.VolumePath(Hangar, leaderNode.GetProperty("volumeId").GetString()!), "pg-" + leader);
        // A client that never hit an error (its server connection was idle when the node died) never noticed at all.
        await Poll.UntilAsync(
            () => firstAfterKill != TimeSpan.Zero || (firstErrorAt == TimeSpan.MaxValue && clock.Elapsed - killedAt > TimeSpan.FromSeconds(10)),
            TimeSpan.FromSeconds(60),
            "a write through the pool after the kill");
        output.WriteLine($"kill -9 of {leader}: first client error {(firstErrorAt == TimeSpan.MaxValue ? "never" : (firstErrorAt - killedAt).TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "s after")}, first commit of a transaction begun after that {firstAfterKill.TotalSeconds:0.00}s after the kill");

        // Every server connection the pool holds is a backend of the new leader, found by its pid in that node's pg_stat_activity.
        var after = await Poll.UntilAsync(
            () => Hangar.JsonAsync("mpg", "status", MpgCluster.Name),
            s => s.GetProperty("postgres").TryGetProperty("leader", out var l) && l.GetString() is { } now && now != leader
                && s.GetProperty("servers").GetArrayLength() > 0
                && s.GetProperty("servers").EnumerateArray().All(x => x.TryGetProperty("node", out var n) && n.GetString() == now),
            TimeSpan.FromSeconds(30),
            "the pool's server connections all on the new leader");
        var newLeader = after.GetProperty("postgres").GetProperty("leader").GetString();
        output.WriteLine($"pool servers after: {string.Join(", ", after.GetProperty("servers").EnumerateArray().Select(x => $"{x.GetProperty("backendPid")}@{x.GetProperty("node").GetString()}"))} (leader {newLeader})");
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Assert.Equal(false, await Pg.ScalarAsync(cluster.PooledUrl, "SELECT pg_is_in_recovery()"));

        // The killed node rejoins as a replica (Patroni, pg_rewind), so the next test finds three nodes; slow on a busy host.
        await cluster.HealthyAsync(TimeSpan.FromSeconds(240));
    }

    [Fact]
    public async Task Mpg_failover_under_a_continuous_writer_through_the_pool_gives_no_client_error()
    {
        var before = await cluster.HealthyAsync(TimeSpan.FromSeconds(90));
        var leader = before.GetProperty("postgres").GetProperty("leader").GetString();
        using var stop = new CancellationTokenSource();
        var errors = new ConcurrentBag<string>();
        var committed = 0L;
        var longest = TimeSpan.Zero;
        var writer = Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            await using var connection = new NpgsqlConnection(Pg.Npgsql(cluster.PooledUrl, timeoutSeconds: 10));
            await connection.OpenAsync();
            var last = clock.Elapsed;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await using var insert = new NpgsqlCommand("INSERT INTO orders(note) VALUES ('switchover')", connection) { CommandTimeout = 60 };
                    await insert.ExecuteNonQueryAsync();
                    Interlocked.Increment(ref committed);
                    var now = clock.Elapsed;
                    longest = now - last > longest ? now - last : longest;
                    last = now;
                }
                catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
                {
                    errors.Add(ex.Message);
                    if (connection.State != System.Data.ConnectionState.Open)
                    {
                        return;
                    }
                }
            }
        });

        await Poll.UntilAsync(() => Interlocked.Read(ref committed) > 20, TimeSpan.FromSeconds(30), "the writer committing through the pool");
        var failover = await Hangar.JsonAsync("mpg", "failover", MpgCluster.Name);
        var afterFailover = Interlocked.Read(ref committed);
        await Poll.UntilAsync(() => Interlocked.Read(ref committed) > afterFailover + 20 || writer.IsCompleted, TimeSpan.FromSeconds(30), "commits after the failover");
        await stop.CancelAsync();
        await writer;
        output.WriteLine($"mpg failover {leader} -> {failover.GetProperty("newLeader").GetString()} in {failover.GetProperty("seconds").GetDouble():0.0}s: {committed} commits on one pooled connection, {errors.Count} errors, longest pause {longest.TotalSeconds:0.00}s");
        Assert.Empty(errors);
        Assert.NotEqual(leader, failover.GetProperty("newLeader").GetString());
        Assert.Equal(false, await Pg.ScalarAsync(cluster.PooledUrl, "SELECT pg_is_in_recovery()"));
    }

    [Fact]
    public async Task Pgbouncer_killed_is_restarted_and_a_killed_daemon_leaves_the_pool_serving()
    {
        await cluster.HealthyAsync(TimeSpan.FromSeconds(90));
        var pid = Hangar.ChildPid("pgbouncer-" + MpgCluster.Name) ?? throw new InvalidOperationException("no pgbouncer pid");
        HangarDaemon.Signal(pid, "9");
        await Poll.UntilAsync(async () =>
        {
            try
            {
                return Hangar.ChildPid("pgbouncer-" + MpgCluster.Name) is { } now && now != pid && await Pg.ScalarAsync(cluster.PooledUrl, "SELECT 1") is 1;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "pgbouncer restarted and serving");

        // The daemon is not on the data path: with it dead, new clients still get through the pool.
        await Hangar.KillAsync();
        Assert.Equal(1, await Pg.ScalarAsync(cluster.PooledUrl, "SELECT 1"));
        await Pg.ExecAsync(cluster.PooledUrl, "INSERT INTO orders(note) VALUES ('daemon dead')");
        var serving = Hangar.ChildPid("pgbouncer-" + MpgCluster.Name);
        await Hangar.StartAsync();
        var status = await cluster.HealthyAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(serving, status.GetProperty("poolPid").GetInt32());
    }

    [Fact]
    public async Task Bad_input_gets_one_line_naming_the_value_and_makes_nothing()
    {
        var plan = (await Hangar.RunAsync("mpg", "create", "--name", "nope", "--plan", "huge")).Fails();
        Assert.Contains("'huge'", plan, StringComparison.Ordinal);
        Assert.Contains("basic", plan, StringComparison.Ordinal);
        Assert.DoesNotContain(Environment.NewLine, plan.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"nope\"", (await Hangar.RunAsync("mpg", "list", "--json")).ShouldSucceed().Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\"nope\"", (await Hangar.RunAsync("postgres", "list", "--json")).ShouldSucceed().Stdout, StringComparison.Ordinal);

        var pool = (await Hangar.RunAsync("mpg", "config", "update", MpgCluster.Name, "--pool-size", "500")).Fails();
        Assert.Contains("500", pool, StringComparison.Ordinal);
        Assert.Contains("at most 90", pool, StringComparison.Ordinal);
        Assert.Equal(20, (await Hangar.JsonAsync("mpg", "config", "show", MpgCluster.Name)).GetProperty("poolSize").GetInt32());
        Assert.Contains("invalid --pool-mode 'bogus'", (await Hangar.RunAsync("mpg", "config", "update", MpgCluster.Name, "--pool-mode", "bogus")).Fails(), StringComparison.Ordinal);

        var twice = (await Hangar.RunAsync("mpg", "attach", MpgCluster.Name, "--app", MpgCluster.App)).Fails();
        Assert.Contains("DATABASE_URL", twice, StringComparison.Ordinal);
        Assert.Contains("already exists", twice, StringComparison.Ordinal);
        Assert.Equal(cluster.PooledUrl, await Pg.DatabaseUrlAsync(Hangar, MpgCluster.App));
    }

    [Fact]
    public async Task Pool_settings_change_live_and_create_says_how_to_use_prepared_statements()
    {
        Assert.Contains("prepared statements", cluster.CreateOutput, StringComparison.Ordinal);
        Assert.Contains("Max Auto Prepare=0", cluster.CreateOutput, StringComparison.Ordinal);
        Assert.Contains("?pgbouncer=true", cluster.CreateOutput, StringComparison.Ordinal);

        await using (var held = new NpgsqlConnection(Pg.Npgsql(cluster.PooledUrl)))
        {
            await held.OpenAsync();
            var updated = await Hangar.JsonAsync("mpg", "config", "update", MpgCluster.Name, "--pool-size", "30");
            Assert.Equal(30, updated.GetProperty("poolSize").GetInt32());
            await using var command = new NpgsqlCommand("SELECT 1", held);
            Assert.Equal(1, await command.ExecuteScalarAsync());
        }

        var show = await Hangar.JsonAsync("mpg", "config", "show", MpgCluster.Name);
        Assert.Equal(30, show.GetProperty("poolSize").GetInt32());
        Assert.Equal("transaction", show.GetProperty("poolMode").GetString());
        var status = await Hangar.JsonAsync("mpg", "status", MpgCluster.Name);
        Assert.Equal("basic", status.GetProperty("cluster").GetProperty("plan").GetString());
        Assert.Equal(30, status.GetProperty("cluster").GetProperty("poolSize").GetInt32());
        (await Hangar.RunAsync("mpg", "config", "update", MpgCluster.Name, "--pool-size", "20")).ShouldSucceed();
    }

    [Fact]
    public async Task Npgsql_and_node_postgres_run_many_transactions_on_one_pooled_connection_with_the_documented_settings()
    {
        // Npgsql: Max Auto Prepare=0 (its default) and No Reset On Close, unprepared commands with parameters.
        var builder = new NpgsqlConnectionStringBuilder(Pg.Npgsql(cluster.PooledUrl)) { MaxAutoPrepare = 0, NoResetOnClose = true };
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            for (var i = 0; i < 50; i++)
            {
                await using var command = new NpgsqlCommand("SELECT $1::int + 1", connection) { Parameters = { new() { Value = i } } };
                Assert.Equal(i + 1, await command.ExecuteScalarAsync());
            }
        }

        // node-postgres: unnamed statements (no `name`), parameters and all.
        Assert.True(Directory.Exists(Path.Combine(Tls.ToolRun.NodePgModules, "pg")), $"node-postgres is missing from {Tls.ToolRun.NodePgModules}: run scripts/install-deps.sh --test");
        const string Script = "const { Client } = require('pg'); const c = new Client({ connectionString: process.argv[1] });"
            + " (async () => { await c.connect(); let s = 0; for (let i = 0; i < 50; i++) { const r = await c.query('SELECT $1::int + 1 AS v', [i]); s += r.rows[0].v; }"
            + " console.log(s); await c.end(); })().catch(e => { console.error(e.message); process.exit(1); });";
        var node = await Tls.ToolRun.RunAsync("node", ["-e", Script, cluster.PooledUrl], new Dictionary<string, string> { ["NODE_PATH"] = Tls.ToolRun.NodePgModules });
        Assert.Equal("1275", node.ShouldSucceed().Stdout.Trim());
    }

    private static string Summary(IEnumerable<string> errors) =>
        string.Join("; ", errors.GroupBy(e => e).OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Count()}x {g.Key}"));

    private static async Task<(int Served, List<string> Errors, TimeSpan Elapsed)> StormAsync(string url)
    {
        var builder = new NpgsqlConnectionStringBuilder(Pg.Npgsql(url, timeoutSeconds: 60)) { SslMode = SslMode.Disable, CommandTimeout = 120 };
        var errors = new ConcurrentBag<string>();
        var served = 0;
        var clock = Stopwatch.StartNew();
        var remaining = Clients;
        var allTried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var all = Enumerable.Range(0, Clients).Select(i => Task.Run(async () =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                try
                {
                    await connection.OpenAsync();
                }
                finally
                {
                    if (Interlocked.Decrement(ref remaining) == 0)
                    {
                        allTried.SetResult();
                    }
                }

                // Every client holds its connection until all have tried, so they are all connected at once.
                await allTried.Task.WaitAsync(TimeSpan.FromSeconds(120));
                for (var t = 0; t < 3; t++)
                {
                    await using var transaction = await connection.BeginTransactionAsync();
                    await using var insert = new NpgsqlCommand("INSERT INTO orders(note) VALUES ('storm')", connection, transaction);
                    await insert.ExecuteNonQueryAsync();
                    await transaction.CommitAsync();
                }

                Interlocked.Increment(ref served);
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                errors.Add(ex is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : ex.Message);
            }
        })).ToList();
        await Task.WhenAll(all);
        return (served, [.. errors], clock.Elapsed);
    }
}
