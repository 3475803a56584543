using Hangar.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Reconcile;

/// <summary>
/// Level-triggered driver: one pass at start, after every change under the watched prefixes, when poked, and at
/// each 2 s tick; every <see cref="Resync"/> a pass is a resync. Passes never overlap, and each reads the desired
/// state afresh, so a pass that died half way (daemon killed) is simply done again by the next daemon. Kinds build on
/// <see cref="PhasedReconciler{TRecord}"/>, whose passes only start steps and never wait for one.
/// </summary>
internal abstract partial class ReconcileLoop(IKeyValueStore store, ILogger logger, TimeProvider time) : BackgroundService
{
    public ReconcileTrigger Trigger { get; } = new();

    protected abstract string Name { get; }

    protected abstract IReadOnlyList<string> WatchedPrefixes { get; }

    protected virtual TimeSpan Resync => TimeSpan.FromSeconds(30);

    protected ILogger Logger => logger;

    protected IKeyValueStore Store => store;

    protected TimeProvider Time => time;

    protected abstract Task PassAsync(bool resync, CancellationToken cancellationToken);

    /// <summary>One pass now, outside the loop (tests drive passes themselves, with a fake clock).</summary>
    internal Task PassOnceAsync(bool resync, CancellationToken cancellationToken) => PassAsync(resync, cancellationToken);

    /// <summary>After the last pass, before the loop returns (work started by passes is awaited here).</summary>
    protected virtual Task StoppedAsync() => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var watchers = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var watchTasks = WatchedPrefixes.Select(p => WatchAsync(p, watchers.Token)).ToList();
        var lastResync = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            Trigger.Drain();
            var resync = time.GetUtcNow() - lastResync >= Resync;
            try
            {
                await PassAsync(resync, stoppingToken);
                Metrics.DaemonMetrics.Pass(Name);
                if (resync)
                {
                    lastResync = time.GetUtcNow();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Metrics.DaemonMetrics.Error(Name);
                Log.PassFailed(logger, Name, ex.Message, ex);
            }

            using var tick = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, tick.Token);
            try
            {
                await Trigger.WaitAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // No poke within the tick: run a pass anyway, so time-based work (schedules, retries) moves on.
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await watchers.CancelAsync();
        await Task.WhenAll(watchTasks).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await StoppedAsync();
    }

    private async Task WatchAsync(string prefix, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var revision = await store.RevisionAsync(cancellationToken);
                Trigger.Poke();
                await foreach (var change in store.WatchAsync(prefix, revision, cancellationToken))
                {
                    Trigger.Poke();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.WatchFailed(logger, Name, prefix, ex.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2201, LogLevel.Warning, "reconciler {Name}: pass failed: {Reason}")]
        public static partial void PassFailed(ILogger logger, string name, string reason, Exception exception);

        [LoggerMessage(2202, LogLevel.Warning, "reconciler {Name}: watch of {Prefix} failed ({Reason}); resyncing")]
        public static partial void WatchFailed(ILogger logger, string name, string prefix, string reason);
    }
}
