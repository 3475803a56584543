using Hangar.Postgres.Rest;
using static Hangar.Postgres.Tests.Operations.Members;

namespace Hangar.Postgres.Tests.Operations;

public sealed class ClusterHealthTests
{
    [Fact]
    public void Healthy_needs_a_running_leader_every_node_a_member_and_replicas_caught_up()
    {
        Assert.True(ClusterHealth.IsHealthy(Record(2), Answer(Leader("db-1"), Replica("db-2"))));
        Assert.False(ClusterHealth.IsHealthy(Record(2), Answer(Leader("db-1"))));
        Assert.False(ClusterHealth.IsHealthy(Record(2), Answer(Leader("db-1"), Replica("db-2", lag: 1))));
        Assert.False(ClusterHealth.IsHealthy(Record(2), Answer(Replica("db-1"), Replica("db-2"))));
        Assert.False(ClusterHealth.IsHealthy(Record(2), Answer(Leader("db-1"), Replica("db-2", state: "starting"))));
    }

    [Fact]
    public void A_synchronous_cluster_of_several_nodes_also_needs_its_sync_standby()
    {
        Assert.False(ClusterHealth.IsHealthy(Record(2, synchronous: true), Answer(Leader("db-1"), Replica("db-2"))));
        Assert.True(ClusterHealth.IsHealthy(Record(2, synchronous: true), Answer(Leader("db-1"), Replica("db-2", role: PatroniRoles.SyncStandby))));
        Assert.True(ClusterHealth.IsHealthy(Record(1, synchronous: true), Answer(Leader("db-1"))));
    }

    [Fact]
    public void Describe_names_each_member_role_state_and_lag()
    {
        Assert.Equal("db-1 leader running, db-2 replica streaming lag 42", ClusterHealth.Describe(Answer(Leader("db-1"), Replica("db-2", lag: 42))));
        Assert.Equal("no members", ClusterHealth.Describe(Answer()));
    }
}
