namespace Hangar.Postgres.Tests.Infrastructure;

/// <summary>
/// A fake clock for code that waits through its <see cref="TimeProvider"/>: every timer moves the clock forward by
/// its due time and fires at once, so a loop that would wait minutes runs in microseconds and the clock shows how
/// long it would have waited.
/// </summary>
internal sealed class SteppingClock(DateTimeOffset start) : TimeProvider
{
    private readonly object _gate = new();
    private DateTimeOffset _now = start;

    public int Timers { get; private set; }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _now += dueTime;
            Timers++;
        }

        // Fired off this thread: Task.Delay has not stored its timer yet when CreateTimer returns.
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new Fired();
    }

    private sealed class Fired : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
