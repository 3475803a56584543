using Hangar.Postgres.Operations;

namespace Hangar.Postgres.Tests.Operations;

public sealed class ParameterRolloutTests
{
    private static readonly Dictionary<string, string?> WorkMem = new() { ["work_mem"] = "8MB" };

    private static NodeSettings Node(string name, string setting, bool pendingRestart = false, bool anyPending = false) =>
        new(name, anyPending, new Dictionary<string, NodeSetting> { ["work_mem"] = new(setting, "kB", pendingRestart, "integer") });

    [Fact]
    public void Applied_when_every_node_runs_the_value_in_its_own_unit()
    {
        var result = ParameterRollout.Decide(WorkMem, [Node("db-1", "8192"), Node("db-2", "8192")]);
        Assert.True(result.Applied);
        Assert.Empty(result.Pending);
    }

    [Fact]
    public void A_node_still_on_the_old_value_is_not_applied()
    {
        Assert.False(ParameterRollout.Decide(WorkMem, [Node("db-1", "8192"), Node("db-2", "4096")]).Applied);
    }

    [Fact]
    public void A_node_that_needs_a_restart_for_the_value_counts_as_applied_and_is_listed_pending()
    {
        var result = ParameterRollout.Decide(WorkMem, [Node("db-1", "4096", pendingRestart: true, anyPending: true), Node("db-2", "8192")]);
        Assert.True(result.Applied);
        Assert.Equal(["db-1"], result.Pending);
    }

    [Fact]
    public void A_node_that_does_not_answer_or_lacks_the_row_is_not_applied_yet()
    {
        Assert.False(ParameterRollout.Decide(WorkMem, [Node("db-1", "8192"), null]).Applied);
        Assert.False(ParameterRollout.Decide(WorkMem, [new NodeSettings("db-1", false, new Dictionary<string, NodeSetting>())]).Applied);
    }

    [Fact]
    public void A_reset_is_applied_once_every_node_has_the_row_and_pending_lists_every_node_that_answered()
    {
        var reset = new Dictionary<string, string?> { ["work_mem"] = null };
        var result = ParameterRollout.Decide(reset, [Node("db-1", "4096", anyPending: true), Node("db-2", "1024"), Node("db-3", "4096", anyPending: true)]);
        Assert.True(result.Applied);
        Assert.Equal(["db-1", "db-3"], result.Pending);
    }
}
