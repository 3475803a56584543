using System.Collections.Concurrent;
using Hangar.State;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Reconcile;

/// <summary>
/// The one reconcile contract: each pass lists the records of one kind and starts, for every record that is due, one
/// step of its own (<see cref="StepAsync"/>), which returns done or "come back after T" and never waits inside itself.
/// Records are stepped independently and concurrently, at most one step in flight per record, so a slow step (a
/// Patroni call timing out, a volume being copied) delays only its own record. A record is due when it changed since
/// its last step, when its requeue time has come, or at resync. The sub-phase a step reports is written into the
/// record with the time it was entered; a step that stays in one sub-phase past its limit fails the record
/// (<see cref="FailAsync"/>), measured from the record, so a restarted daemon keeps the same deadline.
/// </summary>
internal abstract partial class PhasedReconciler<TRecord>(IKeyValueStore kv, RecordStore store, ILogger logger, TimeProvider time)
    : ReconcileLoop(kv, logger, time)
    where TRecord : class
{
    private readonly ConcurrentDictionary<string, Task> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LastStep> _last = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ITimer> _timers = new(StringComparer.Ordinal);

    protected RecordStore Records => store;

    /// <summary>Where the records of this kind live.</summary>
    protected abstract string RecordPrefix { get; }

    /// <summary>How long a step that threw waits before it is tried again.</summary>
    protected virtual TimeSpan ErrorBackoff => TimeSpan.FromSeconds(5);

    protected abstract string KeyOf(TRecord record);

    protected abstract string NameOf(TRecord record);

    protected abstract string PhaseOf(TRecord record);

    protected abstract StepMark MarkOf(TRecord record);

    protected abstract TRecord WithMark(TRecord record, StepMark mark);

    /// <summary>One step for <paramref name="record"/>: at most one thing done, nothing waited for.</summary>
    protected abstract Task<StepResult> StepAsync(TRecord record, CancellationToken cancellationToken);

    /// <summary>Gives the record up: remove what was made and mark it failed with <paramref name="reason"/>.</summary>
    protected abstract Task FailAsync(TRecord record, string reason, CancellationToken cancellationToken);

    /// <summary>Whether a step that threw <paramref name="error"/> fails the record (a create) rather than being retried.</summary>
    protected virtual bool FailsOnError(TRecord record, Exception error) => false;

    protected virtual string FailureReason(TRecord record, Exception error) => $"{NameOf(record)} could not be made: {error.Message}";

    protected virtual string OverdueReason(TRecord record, StepResult result, TimeSpan limit) =>
        $"{NameOf(record)} was still {result.SubPhase} after {limit.TotalSeconds:0}s: {result.Decision}";

    /// <summary>Work over the whole listing after the steps were started (orphans, summaries); runs inside the pass.</summary>
    protected virtual Task AfterPassAsync(IReadOnlyList<TRecord> records, bool resync, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>How long a failed create is kept for the caller that started it to read the failure.</summary>
    protected static readonly TimeSpan AbandonedFailure = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A failed create: the create that saw the failure marks the record for destruction; when that caller died
    /// instead (nobody read the failure within <see cref="AbandonedFailure"/> of <paramref name="failedAt"/>), this
    /// does, with <paramref name="markDestroying"/> (null when the record is no longer failed).
    /// </summary>
    protected async Task<StepResult> AbandonUnreadFailureAsync(
        TRecord record, DateTimeOffset? failedAt, Func<TRecord, TRecord?> markDestroying, CancellationToken cancellationToken)
    {
        var left = AbandonedFailure - (Time.GetUtcNow() - (failedAt ?? DateTimeOffset.MinValue));
        if (failedAt is not null && left > TimeSpan.Zero)
        {
            return StepResult.Requeue(left, MarkOf(record).SubPhase, "failed, kept for its caller to read");
        }

        await Records.MutateAsync(KeyOf(record), markDestroying, cancellationToken);
        return StepResult.Done("failed create abandoned by its caller; destroying");
    }

    /// <summary>A destroy: <paramref name="tearDown"/> (safe to run again) removes everything, then the record goes.</summary>
    protected async Task<StepResult> DestroyAfterAsync(TRecord record, Func<Task> tearDown, string what, CancellationToken cancellationToken)
    {
        await tearDown();
        await Records.Inner.DeleteAsync(KeyOf(record), cancellationToken);
        return StepResult.Done($"destroyed ({what})");
    }

    /// <summary>Completes when no step is in flight (tests, shutdown).</summary>
    internal Task WhenIdleAsync() => Task.WhenAll(_inFlight.Values);

    internal bool IsStepping(string key) => _inFlight.ContainsKey(key);

    protected override async Task PassAsync(bool resync, CancellationToken cancellationToken)
    {
        var records = await store.ListAsync<TRecord>(RecordPrefix, cancellationToken);
        var now = Time.GetUtcNow();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in records)
        {
            var key = KeyOf(entry.Value);
            listed.Add(key);
            if (_inFlight.ContainsKey(key))
            {
                continue;
            }

            var due = resync || !_last.TryGetValue(key, out var last) || last.Revision != entry.ModRevision || last.Due is { } at && at <= now;
            if (due)
            {
                Start(key, entry, cancellationToken);
            }
        }

        foreach (var gone in _last.Keys.Where(k => !listed.Contains(k) && !_inFlight.ContainsKey(k)).ToList())
        {
            _last.TryRemove(gone, out _);
            if (_timers.TryRemove(gone, out var timer))
            {
                timer.Dispose();
            }
        }

        await AfterPassAsync([.. records.Select(r => r.Value)], resync, cancellationToken);
    }

    protected override async Task StoppedAsync()
    {
        await WhenIdleAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var timer in _timers.Values)
        {
            timer.Dispose();
        }
    }

    private void Start(string key, Versioned<TRecord> entry, CancellationToken cancellationToken)
    {
        var step = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inFlight[key] = step.Task;

        // Off the pass: the pass only starts steps, so one record's slow step never holds up another's.
        _ = Task.Run(async () =>
        {
            try
            {
                var previous = _last.TryGetValue(key, out var last) ? last.Decision : null;
                var result = await RunStepAsync(entry.Value, previous, cancellationToken);
                _last[key] = new LastStep(entry.ModRevision, result?.After is { } after ? Time.GetUtcNow() + after : null, result?.SubPhase + ": " + result?.Decision);
                if (result?.After is { } delay)
                {
                    var timer = Time.CreateTimer(_ => Trigger.Poke(), null, delay, Timeout.InfiniteTimeSpan);
                    if (_timers.TryGetValue(key, out var old))
                    {
                        old.Dispose();
                    }

                    _timers[key] = timer;
                }
            }
            finally
            {
                _inFlight.TryRemove(key, out _);
                step.SetResult();

                // The record may have changed while this step ran (a destroy during a create): look again.
                Trigger.Poke();
            }
        }, CancellationToken.None);
    }

    /// <summary>One step with its bookkeeping; null when the daemon is stopping.</summary>
    private async Task<StepResult?> RunStepAsync(TRecord record, string? previous, CancellationToken cancellationToken)
    {
        var name = NameOf(record);
        var phase = PhaseOf(record);
        var mark = MarkOf(record);
        StepResult result;
        try
        {
            string? failure = null;
            try
            {
                result = await StepAsync(record, cancellationToken);
                var now = Time.GetUtcNow();
                if (result.Limit is { } limit && result.SubPhase is not null && result.SubPhase == mark.SubPhase && mark.Since is { } since && now - since > limit)
                {
                    failure = OverdueReason(record, result, limit);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && FailsOnError(record, ex))
            {
                failure = FailureReason(record, ex);
                result = default;
            }

            if (failure is not null)
            {
                // The sub-phase stays as it was: it says where the record got stuck.
                await FailAsync(record, failure, cancellationToken);
                result = StepResult.Done("failed, removed what was made: " + failure);
            }
            else if (result.IsDone ? mark.SubPhase is not null : result.SubPhase != mark.SubPhase)
            {
                var now = Time.GetUtcNow();
                var entered = result.IsDone ? default : new StepMark(result.SubPhase, now);
                await store.MutateAsync<TRecord>(KeyOf(record), r => MarkOf(r) == mark ? WithMark(r, entered) : null, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex)
        {
            result = StepResult.Requeue(ErrorBackoff, mark.SubPhase, "step failed, retrying: " + ex.Message);
            Metrics.DaemonMetrics.Error(Name);
            Log.StepFailed(Logger, Name, name, phase, mark.SubPhase ?? "-", ex.Message, ErrorBackoff.TotalSeconds);
            return result;
        }

        // A step that decides the same as the last one (a wait polling, a resync finding nothing to do) is logged
        // once at information, then at debug.
        var level = previous == result.SubPhase + ": " + result.Decision ? LogLevel.Debug : LogLevel.Information;
        if (result.After is { } after)
        {
            Log.Requeued(Logger, level, Name, name, phase, result.SubPhase ?? "-", result.Decision, after.TotalSeconds);
        }
        else
        {
            Log.Done(Logger, level, Name, name, phase, result.Decision);
        }

        return result;
    }

    private readonly record struct LastStep(long Revision, DateTimeOffset? Due, string? Decision);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2210, Message = "{Kind} {Name}: {Phase}: {Decision}")]
        public static partial void Done(ILogger logger, LogLevel level, string kind, string name, string phase, string decision);

        [LoggerMessage(EventId = 2211, Message = "{Kind} {Name}: {Phase}/{SubPhase}: {Decision}; again in {Seconds:0.#}s")]
        public static partial void Requeued(ILogger logger, LogLevel level, string kind, string name, string phase, string subPhase, string decision, double seconds);

        [LoggerMessage(2212, LogLevel.Warning, "{Kind} {Name}: {Phase}/{SubPhase}: step failed, again in {Seconds:0.#}s: {Reason}")]
        public static partial void StepFailed(ILogger logger, string kind, string name, string phase, string subPhase, string reason, double seconds);
    }
}
