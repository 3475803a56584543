using Hangar.Daemon.Reconcile;
using Hangar.State;
using Hangar.State.InMemory;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Hangar.Daemon.Tests.Reconcile;

/// <summary>The reconcile contract on the in-memory store and a fake clock: one step per record, requeues, isolation, deadlines from the record.</summary>
public sealed class PhasedReconcilerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);
    private readonly InMemoryStore _kv = new();
    private readonly RecordStore _store;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public PhasedReconcilerTests() => _store = new RecordStore(_kv);

    [Fact]
    public async Task A_requeued_record_is_stepped_again_when_its_time_has_come_and_not_before()
    {
        var reconciler = new ItemReconciler(_kv, _store, _time, (_, _) => Task.FromResult(StepResult.Requeue(TimeSpan.FromSeconds(5), "waiting", "nothing yet")));
        await AddAsync("a");

        await PassAsync(reconciler);
        var recorded = await GetAsync("a");
        Assert.Equal("waiting", recorded.Step);
        Assert.Equal(_time.GetUtcNow(), recorded.StepSince);

        // Recording the sub-phase changed the record, and a changed record is looked at again at once.
        await PassAsync(reconciler);
        Assert.Equal(2, reconciler.StepsOf("a"));

        await PassAsync(reconciler);
        _time.Advance(TimeSpan.FromSeconds(4));
        await PassAsync(reconciler);
        Assert.Equal(2, reconciler.StepsOf("a"));

        _time.Advance(TimeSpan.FromSeconds(1));
        await PassAsync(reconciler);
        Assert.Equal(3, reconciler.StepsOf("a"));
        Assert.Equal(recorded.StepSince, (await GetAsync("a")).StepSince);
    }

    [Fact]
    public async Task A_done_record_is_stepped_again_only_when_it_changes_or_at_resync()
    {
        var reconciler = new ItemReconciler(_kv, _store, _time, (_, _) => Task.FromResult(StepResult.Done("no action")));
        await AddAsync("a");

        await PassAsync(reconciler);
        await PassAsync(reconciler);
        _time.Advance(TimeSpan.FromHours(1));
        await PassAsync(reconciler);
        Assert.Equal(1, reconciler.StepsOf("a"));

        await _store.MutateAsync<Item>(Item.Key("a"), i => i with { Phase = "running" }, CancellationToken.None);
        await PassAsync(reconciler);
        Assert.Equal(2, reconciler.StepsOf("a"));

        await PassAsync(reconciler, resync: true);
        Assert.Equal(3, reconciler.StepsOf("a"));
    }

    [Fact]
    public async Task A_record_whose_step_hangs_does_not_delay_another_records_steps()
    {
        var stuck = new TaskCompletionSource<StepResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconciler = new ItemReconciler(_kv, _store, _time, (item, _) => item.Name == "stuck"
            ? stuck.Task
            : Task.FromResult(StepResult.Requeue(TimeSpan.FromSeconds(1), "polling", "still going")));
        await AddAsync("stuck");
        await AddAsync("moving");

        await reconciler.PassOnceAsync(false, CancellationToken.None);
        await UntilAsync(() => reconciler.StepsOf("moving") >= 1 && !reconciler.IsStepping(Item.Key("moving")));
        for (var i = 0; i < 5; i++)
        {
            var before = reconciler.StepsOf("moving");
            _time.Advance(TimeSpan.FromSeconds(1));
            await reconciler.PassOnceAsync(false, CancellationToken.None);
            await UntilAsync(() => reconciler.StepsOf("moving") > before && !reconciler.IsStepping(Item.Key("moving")));
        }

        Assert.True(reconciler.IsStepping(Item.Key("stuck")));
        Assert.Equal(1, reconciler.StepsOf("stuck"));
        Assert.True(reconciler.StepsOf("moving") >= 6);

        stuck.SetResult(StepResult.Done("unstuck"));
        await reconciler.WhenIdleAsync();
    }

    [Fact]
    public async Task A_record_that_stays_in_a_sub_phase_past_its_limit_fails_measured_from_the_record_even_after_a_restart()
    {
        Func<Item, CancellationToken, Task<StepResult>> bootstrap = (_, _) => Task.FromResult(StepResult.Requeue(TimeSpan.FromSeconds(1), "bootstrapping", "no leader yet", Limit));
        await AddAsync("db");
        await PassAsync(new ItemReconciler(_kv, _store, _time, bootstrap));
        var entered = (await GetAsync("db")).StepSince;

        _time.Advance(TimeSpan.FromMinutes(3));
        await PassAsync(new ItemReconciler(_kv, _store, _time, bootstrap));
        Assert.Equal("pending", (await GetAsync("db")).Phase);

        // A new reconciler (a restarted daemon) keeps the deadline: it is in the record, not in memory.
        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var restarted = new ItemReconciler(_kv, _store, _time, bootstrap);
        await PassAsync(restarted);
        var failed = await GetAsync("db");
        Assert.Equal("failed", failed.Phase);
        Assert.Contains("bootstrapping", failed.Error, StringComparison.Ordinal);
        Assert.Equal(entered, failed.StepSince);
        Assert.Equal(1, restarted.StepsOf("db"));
    }

    [Fact]
    public async Task A_step_that_throws_fails_a_create_and_is_retried_after_the_backoff_otherwise()
    {
        var reconciler = new ItemReconciler(_kv, _store, _time, (_, _) => throw new InvalidOperationException("disk full"));
        await AddAsync("new");
        await _store.CreateAsync(Item.Key("old"), new Item("old", "running"), CancellationToken.None);

        await PassAsync(reconciler);
        var created = await GetAsync("new");
        Assert.Equal("failed", created.Phase);
        Assert.Contains("disk full", created.Error, StringComparison.Ordinal);
        Assert.Equal("running", (await GetAsync("old")).Phase);

        await PassAsync(reconciler);
        var steps = reconciler.StepsOf("old");
        _time.Advance(TimeSpan.FromSeconds(4));
        await PassAsync(reconciler);
        Assert.Equal(steps, reconciler.StepsOf("old"));
        _time.Advance(TimeSpan.FromSeconds(1));
        await PassAsync(reconciler);
        Assert.Equal(steps + 1, reconciler.StepsOf("old"));
    }

    private static async Task PassAsync(ItemReconciler reconciler, bool resync = false)
    {
        await reconciler.PassOnceAsync(resync, CancellationToken.None);
        await reconciler.WhenIdleAsync();
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10s");
            await Task.Delay(5);
        }
    }

    private Task AddAsync(string name) => _store.CreateAsync(Item.Key(name), new Item(name), CancellationToken.None);

    private async Task<Item> GetAsync(string name) => (await _store.GetAsync<Item>(Item.Key(name), CancellationToken.None))!.Value;
}
