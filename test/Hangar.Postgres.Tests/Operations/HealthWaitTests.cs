using Hangar.Postgres.Operations;
using Hangar.Postgres.Rest;
using Hangar.Postgres.Tests.Infrastructure;
using static Hangar.Postgres.Tests.Operations.Members;

namespace Hangar.Postgres.Tests.Operations;

public sealed class HealthWaitTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Returns_once_the_cluster_is_healthy_and_the_proxy_routes_to_the_new_leader()
    {
        var clock = new SteppingClock(Start);
        var healthy = Answer(Leader("db-2"), Replica("db-1"));
        var answers = new Queue<PatroniCluster?>([null, Answer(Leader("db-2"), Replica("db-1", lag: 512)), healthy, healthy]);
        var proxy = new Queue<string?>(["db-1", "db-2"]);

        var state = await HealthWait.WaitAsync(
            Record(2),
            _ => Task.FromResult<(PatroniCluster?, string?)>((answers.Dequeue(), "db-1: refused")),
            () => proxy.Dequeue(),
            TimeSpan.FromMinutes(2),
            clock,
            CancellationToken.None);

        Assert.Equal("db-2", state.Leader?.Name);

        // Three answers that were not yet enough, each followed by one poll interval on the clock.
        Assert.Equal(3, clock.Timers);
        Assert.Equal(Start + (3 * HealthWait.PollInterval), clock.GetUtcNow());
    }

    [Fact]
    public async Task Gives_up_after_the_limit_on_the_clock_naming_what_it_last_saw()
    {
        var clock = new SteppingClock(Start);
        var noSyncStandby = Answer(Leader("db-1"), Replica("db-2"), Replica("db-3"));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => HealthWait.WaitAsync(
            Record(3, synchronous: true),
            _ => Task.FromResult<(PatroniCluster?, string?)>((noSyncStandby, null)),
            () => "db-1",
            TimeSpan.FromSeconds(60),
            clock,
            CancellationToken.None));

        Assert.Equal("db-1 leader running, db-2 replica streaming, db-3 replica streaming", error.Message);
        Assert.InRange(clock.GetUtcNow() - Start, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60) + HealthWait.PollInterval);
    }
}
