using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hangar.FunctionalTests.Infrastructure;
using Hangar.State;
using Hangar.State.Etcd;
using Npgsql;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// A cluster bricked by its own configuration is repaired with `config update`: its own development cluster,
/// since it is broken on purpose.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresConfigRepairTests(DevelopmentCluster cluster) : IClassFixture<DevelopmentCluster>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private HangarDaemon Hangar => cluster.Hangar;

    [Fact]
    public async Task A_value_that_stops_every_node_is_repaired_by_config_update_and_a_leader_returns()
    {
        var volume = cluster.Status.GetProperty("nodes")[0].GetProperty("volumeId").GetString()!;
        var data = Path.Combine(Pg.VolumePath(Hangar, volume), "data");
        var superuser = Pg.Npgsql(SuperuserUrl());

        // What the old check let through (a final newline), put where it went: Patroni's dynamic configuration.
        using (var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [new Uri(Hangar.EtcdUrl)] }))
        {
            await SetWorkMemAsync(store, $"/hangar-pg/{DevelopmentCluster.Name}/config", "8MB\n");
        }

        // Patroni writes it into postgresql.conf; the running server keeps its old settings until it starts again.
        await Poll.UntilAsync(() => Task.FromResult(File.ReadAllText(Path.Combine(data, "postgresql.conf")).Contains("work_mem = '8MB\n'", StringComparison.Ordinal)), Limit, "the broken line in postgresql.conf");
        HangarDaemon.Signal(int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture), "9");

        // Bricked: Patroni cannot start PostgreSQL again, so nothing leads.
        await Poll.UntilAsync(async () => NoLeader(await Hangar.JsonAsync("postgres", "config", "show", "-a", DevelopmentCluster.Name)), Limit, "the cluster to lose its leader");
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => OpenAsync(superuser));
        await Poll.UntilAsync(async () => (await Hangar.RunAsync("logs", "-a", DevelopmentCluster.Name, "-n", "2000")).Stdout.Contains("contains errors", StringComparison.Ordinal), Limit, "PostgreSQL to refuse the broken postgresql.conf");
        var shown = (await Hangar.RunAsync("postgres", "config", "show", "-a", DevelopmentCluster.Name)).ShouldSucceed().Stdout;
        Assert.Contains("No node leads right now", shown, StringComparison.Ordinal);

        // The repair: a correct value, through the CLI, with no leader to take it.
        var repaired = (await Hangar.RunAsync("postgres", "config", "update", "-a", DevelopmentCluster.Name, "--work-mem", "16MB")).ShouldSucceed().Stdout;
        Assert.Contains("Configuration stored. No node leads right now", repaired, StringComparison.Ordinal);
        await Poll.UntilAsync(async () => (await Hangar.JsonAsync("postgres", "status", "-a", DevelopmentCluster.Name)).TryGetProperty("leader", out var leader) && leader.GetString() == "dev-1", Limit, "a leader to return");
        await Poll.UntilAsync(async () => await WorkMemAsync(superuser) == "16MB", Limit, "the repaired work_mem on a running leader");

        var config = await Hangar.JsonAsync("postgres", "config", "show", "-a", DevelopmentCluster.Name);
        Assert.False(NoLeader(config));
        Assert.Equal("16MB", config.GetProperty("parameters").GetProperty("work_mem").GetString());

        // With a leader again, an update waits for the node to reload as it always did.
        var reloaded = (await Hangar.RunAsync("postgres", "config", "update", "-a", DevelopmentCluster.Name, "--work-mem", "8MB")).ShouldSucceed().Stdout;
        Assert.Contains("Configuration updated.", reloaded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_patroni_frozen_config_update_and_show_go_through_etcd_and_the_node_applies_it_when_it_wakes()
    {
        var superuser = Pg.Npgsql(SuperuserUrl());
        await Poll.UntilAsync(async () => (await Hangar.JsonAsync("postgres", "status", "-a", DevelopmentCluster.Name)).TryGetProperty("leader", out var leader) && leader.GetString() == "dev-1", Limit, "a leader");
        var patroni = Hangar.ChildPid("pg-dev-1") ?? throw new InvalidOperationException("no pid for pg-dev-1");

        // A stopped Patroni answers no REST call (its port still accepts): only etcd itself can take the change.
        HangarDaemon.Signal(patroni, "STOP");
        try
        {
            var stored = (await Hangar.RunAsync("postgres", "config", "update", "-a", DevelopmentCluster.Name, "--work-mem", "4MB")).ShouldSucceed().Stdout;
            Assert.Contains("Configuration stored. No node leads right now", stored, StringComparison.Ordinal);
            var shown = await Hangar.JsonAsync("postgres", "config", "show", "-a", DevelopmentCluster.Name);
            Assert.True(NoLeader(shown));
            Assert.Equal("4MB", shown.GetProperty("parameters").GetProperty("work_mem").GetString());
            using var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [new Uri(Hangar.EtcdUrl)] });
            var entry = await store.GetAsync($"/hangar-pg/{DevelopmentCluster.Name}/config", CancellationToken.None);
            Assert.Equal("4MB", JsonNode.Parse(Encoding.UTF8.GetString(entry!.Value))!["postgresql"]!["parameters"]!["work_mem"]!.GetValue<string>());
        }
        finally
        {
            HangarDaemon.Signal(patroni, "CONT");
        }

        await Poll.UntilAsync(async () => await WorkMemAsync(superuser) == "4MB", Limit, "work_mem 4MB once Patroni runs again");
        await Poll.UntilAsync(async () => !NoLeader(await Hangar.JsonAsync("postgres", "config", "show", "-a", DevelopmentCluster.Name)), Limit, "the leader back");
    }

    private static bool NoLeader(JsonElement config) => config.TryGetProperty("noLeader", out var value) && value.GetBoolean();

    private string SuperuserUrl() =>
        cluster.Created.Stdout.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("Connection string:", StringComparison.Ordinal))["Connection string:".Length..].Trim();

    /// <summary>The leader's work_mem through the cluster port; null while no server answers.</summary>
    private static async Task<string?> WorkMemAsync(string connectionString)
    {
        try
        {
            await using var connection = await OpenAsync(connectionString);
            await using var command = new NpgsqlCommand("SELECT current_setting('work_mem')", connection);
            return (string?)await command.ExecuteScalarAsync();
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task SetWorkMemAsync(EtcdStore store, string key, string value)
    {
        var entry = await store.GetAsync(key, CancellationToken.None) ?? throw new InvalidOperationException($"no {key}");
        var config = JsonNode.Parse(Encoding.UTF8.GetString(entry.Value))!.AsObject();
        var postgresql = config["postgresql"] as JsonObject ?? [];
        config["postgresql"] = postgresql;
        var parameters = postgresql["parameters"] as JsonObject ?? [];
        postgresql["parameters"] = parameters;
        parameters["work_mem"] = value;
        var written = await store.TryCommitAsync(new StoreTxn([new StoreCondition(key, entry.ModRevision)], [new PutOp(key, Encoding.UTF8.GetBytes(config.ToJsonString()))]), CancellationToken.None);
        Assert.NotNull(written);
    }
}
