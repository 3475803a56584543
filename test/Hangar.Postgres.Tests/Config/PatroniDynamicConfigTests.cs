using System.Text;
using Hangar.Postgres.Config;
using Hangar.State;
using Hangar.State.InMemory;

namespace Hangar.Postgres.Tests.Config;

public sealed class PatroniDynamicConfigTests
{
    private const string Cluster = "db";

    [Fact]
    public async Task Parameters_are_merged_into_the_stored_configuration_and_null_removes_one()
    {
        var store = new InMemoryStore();
        await PutAsync(store, """{"ttl":10,"postgresql":{"parameters":{"work_mem":"8MB\n","max_connections":"100"},"use_pg_rewind":true}}""");

        var written = await PatroniDynamicConfig.SetParametersAsync(store, Cluster, new Dictionary<string, string?> { ["work_mem"] = "16MB", ["max_connections"] = null, ["log_statement"] = "ddl" }, CancellationToken.None);

        var stored = await PatroniDynamicConfig.ReadAsync(store, Cluster, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(written.ToJsonString(), stored.ToJsonString());
        Assert.Equal(10, stored["ttl"]!.GetValue<int>());
        Assert.True(stored["postgresql"]!["use_pg_rewind"]!.GetValue<bool>());
        var parameters = stored["postgresql"]!["parameters"]!.AsObject();
        Assert.Equal("16MB", parameters["work_mem"]!.GetValue<string>());
        Assert.Equal("ddl", parameters["log_statement"]!.GetValue<string>());
        Assert.False(parameters.ContainsKey("max_connections"));
    }

    [Fact]
    public async Task A_cluster_without_a_configuration_is_refused_and_nothing_is_created()
    {
        var store = new InMemoryStore();
        await Assert.ThrowsAsync<InvalidOperationException>(() => PatroniDynamicConfig.SetParametersAsync(store, Cluster, new Dictionary<string, string?> { ["work_mem"] = "8MB" }, CancellationToken.None));
        Assert.Null(await PatroniDynamicConfig.ReadAsync(store, Cluster, CancellationToken.None));
    }

    [Fact]
    public void The_key_is_the_one_patroni_uses()
    {
        Assert.Equal("/hangar-pg/db/config", PatroniDynamicConfig.Key(Cluster));
    }

    private static Task<long?> PutAsync(InMemoryStore store, string json) =>
        store.TryCommitAsync(new StoreTxn([], [new PutOp(PatroniDynamicConfig.Key(Cluster), Encoding.UTF8.GetBytes(json))]), CancellationToken.None);
}
