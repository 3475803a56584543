using Hangar.Postgres.Rest;
using Hangar.Postgres.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Hangar.Postgres.Tests.Cluster;

[Collection(PgClusterCollection.Name)]
public sealed class ClusterFormationTests(PgClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Three_node_synchronous_cluster_forms_with_one_leader_two_streaming_replicas_and_a_sync_standby()
    {
        output.WriteLine($"bootstrap of 3 nodes took {fixture.BootstrapTime.TotalSeconds:0.0}s");
        Assert.True(fixture.BootstrapTime < TimeSpan.FromSeconds(120));
        await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(60));

        var cluster = await fixture.ClusterAsync();
        Assert.Equal(3, cluster.Members.Count);
        Assert.Single(cluster.Members, m => m.Role == PatroniRoles.Leader);
        Assert.Single(cluster.Members, m => m.Role == PatroniRoles.SyncStandby);
        Assert.Single(cluster.Members, m => m.Role == PatroniRoles.Replica);

        var leader = fixture.Node(cluster.Leader!.Name);
        var status = await leader.Patroni.GetNodeAsync(CancellationToken.None);
        Assert.Equal(PatroniRoles.Leader, status.Role);
        Assert.Equal("running", status.State);
        Assert.Equal(PgClusterFixture.ClusterName, status.Scope);
        Assert.StartsWith("3.0", status.PatroniVersion, StringComparison.Ordinal);
        Assert.InRange(status.ServerVersion ?? 0, 150000, 159999);
        Assert.Equal(2, status.Replication.Count(r => r.State == "streaming"));
        Assert.Single(status.Replication, r => r.SyncState == "sync");

        Assert.True(await leader.Patroni.IsPrimaryAsync(CancellationToken.None));
        Assert.False(await leader.Patroni.IsReplicaAsync(CancellationToken.None));
        foreach (var replica in cluster.Replicas.Select(r => fixture.Node(r.Name)))
        {
            Assert.True(await replica.Patroni.IsReplicaAsync(CancellationToken.None));
            Assert.False(await replica.Patroni.IsPrimaryAsync(CancellationToken.None));
            Assert.True(await replica.Patroni.IsHealthyAsync(CancellationToken.None));
            Assert.True(await replica.Launch.ProbeAsync(replica.Http, CancellationToken.None));
        }

        // The cluster is configured as asked: the sync standby is what synchronous_standby_names names.
        await using var connection = new NpgsqlConnection(leader.AdminConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('synchronous_standby_names'), current_setting('ssl'), current_setting('password_encryption'), current_setting('wal_log_hints')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var syncStandby = cluster.Members.Single(m => m.Role == PatroniRoles.SyncStandby).Name;
        Assert.Contains(syncStandby, reader.GetString(0), StringComparison.Ordinal);
        Assert.Equal("on", reader.GetString(1));
        Assert.Equal("scram-sha-256", reader.GetString(2));
        Assert.Equal("on", reader.GetString(3));
    }
}
