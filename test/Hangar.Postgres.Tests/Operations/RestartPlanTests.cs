using Hangar.Postgres.Operations;
using static Hangar.Postgres.Tests.Operations.Members;

namespace Hangar.Postgres.Tests.Operations;

public sealed class RestartPlanTests
{
    [Fact]
    public void Every_node_restarts_replicas_first_by_ordinal_then_the_leader_after_a_switchover()
    {
        var plan = RestartPlan.For(Record(3), leader: "db-2", only: null);
        Assert.Equal(["db-1", "db-3"], plan.Replicas.Select(n => n.Name));
        Assert.Equal("db-2", plan.Leader?.Name);
        Assert.True(plan.SwitchoverFirst);
    }

    [Fact]
    public void Only_the_nodes_pending_a_restart_restart_and_a_leader_not_among_them_keeps_leading()
    {
        var plan = RestartPlan.For(Record(3), leader: "db-1", only: ["db-3"]);
        Assert.Equal(["db-3"], plan.Replicas.Select(n => n.Name));
        Assert.Null(plan.Leader);
        Assert.False(plan.SwitchoverFirst);
    }

    [Fact]
    public void A_single_node_restarts_in_place_with_nobody_to_hand_over_to()
    {
        var plan = RestartPlan.For(Record(1), leader: "db-1", only: null);
        Assert.Empty(plan.Replicas);
        Assert.Equal("db-1", plan.Leader?.Name);
        Assert.False(plan.SwitchoverFirst);
    }
}
