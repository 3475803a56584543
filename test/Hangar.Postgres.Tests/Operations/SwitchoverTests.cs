using Hangar.Postgres.Operations;
using Hangar.Postgres.Rest;
using static Hangar.Postgres.Tests.Operations.Members;

namespace Hangar.Postgres.Tests.Operations;

public sealed class SwitchoverTests
{
    [Fact]
    public void The_sync_standby_is_chosen_even_when_another_replica_lags_less()
    {
        var state = Answer(Leader("db-1"), Replica("db-2", lag: 0), Replica("db-3", lag: 4096, role: PatroniRoles.SyncStandby));
        Assert.Equal("db-3", Switchover.Candidate(state)?.Name);
    }

    [Fact]
    public void Without_a_sync_standby_the_replica_with_the_least_lag_is_chosen_and_unknown_lag_comes_last()
    {
        var state = Answer(Replica("db-2", lag: null), Leader("db-1"), Replica("db-3", lag: 900), Replica("db-4", lag: 100));
        Assert.Equal("db-4", Switchover.Candidate(state)?.Name);
    }

    [Fact]
    public void A_stopped_replica_is_never_a_candidate()
    {
        var state = Answer(Leader("db-1"), Replica("db-2", role: PatroniRoles.SyncStandby, state: "stopped"), Replica("db-3", lag: 10, state: "starting"));
        Assert.Null(Switchover.Candidate(state));
    }
}
