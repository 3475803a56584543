using System.Collections.Immutable;
using Hangar.Proxy.Configuration;
using Hangar.Proxy.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Hangar.Proxy.Leadership;

/// <summary>
/// Polls every node's Patroni <c>GET /primary</c> independently (a slow node does not delay the
/// others) and decides, after each answer, which node new connections go to.
/// </summary>
/// <remarks>
/// Patroni with etcd decides leadership; this only follows it. Rules: exactly one claimant is the
/// leader; while the current leader still claims, it is kept even if another claims too (a
/// transient during switchover); a current leader that stops answering is kept for a grace period
/// (its Patroni may be busy), and one that answers 503 is dropped at once.
/// </remarks>
internal sealed class LeaderTracker : IAsyncDisposable
{
    private readonly string _cluster;
    private readonly PatroniProbe _probe = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ProxyMetrics _metrics;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, NodeWatch> _nodes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private LeaderSnapshot _current;
    private TaskCompletionSource _changed = NewSignal();
    private TimeSpan _pollInterval;
    private TimeSpan _probeTimeout;
    private TimeSpan _unreachableGrace;
    private bool _requireWritable;
    private string? _ambiguousLogged;

    public LeaderTracker(string cluster, TimeProvider time, ILogger logger, ProxyMetrics metrics)
    {
        _cluster = cluster;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _current = new LeaderSnapshot(null, time.GetUtcNow(), 0);
    }

    /// <summary>Raised under the tracker's lock, in order, right after <see cref="Current"/> changed.</summary>
    public event Action<LeaderChange>? LeaderChanged;

    /// <summary>Raised when the leader or any node's observed role changes (for the status file).</summary>
    public event Action? StateChanged;

    public LeaderSnapshot Current => Volatile.Read(ref _current);

    public ImmutableArray<NodeObservation> Observations
    {
        get
        {
            lock (_gate)
            {
                return [.. _nodes.Values.Select(w => new NodeObservation(w.Node, w.Outcome))];
            }
        }
    }

    /// <summary>Starts, stops or restarts node probes to match <paramref name="config"/>; safe to call repeatedly.</summary>
    public void Apply(ProxyConfig config)
    {
        var stopped = new List<NodeWatch>();
        lock (_gate)
        {
            _pollInterval = config.PollInterval;
            _probeTimeout = config.ProbeTimeout;
            _unreachableGrace = config.LeaderUnreachableGrace;
            _requireWritable = config.WakeFile is not null;

            var wanted = config.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
            foreach (var (name, watch) in _nodes.ToArray())
            {
                // A node whose address changed is a different target: restart its watch from Unknown.
                if (!wanted.TryGetValue(name, out var node) || node != watch.Node)
                {
                    _nodes.Remove(name);
                    stopped.Add(watch);
                }
            }

            foreach (var node in config.Nodes)
            {
                if (!_nodes.ContainsKey(node.Name))
                {
                    var watch = new NodeWatch(node, CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token));
                    _nodes.Add(node.Name, watch);
                    watch.Loop = PollAsync(watch, watch.Stop.Token);
                }
            }

            Evaluate();
        }

        foreach (var watch in stopped)
        {
            watch.Stop.Cancel();
            watch.Stop.Dispose();
        }

        StateChanged?.Invoke();
    }

    /// <summary>Returns the leader, waiting up to <paramref name="timeout"/> for one; null when none appeared.</summary>
    public async ValueTask<LeaderSnapshot?> WaitForLeaderAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            // Read the signal before the state: a change between the two completes this signal.
            var changed = Volatile.Read(ref _changed).Task;
            var snapshot = Current;
            if (snapshot.Leader is not null)
            {
                return snapshot;
            }

            var remaining = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            await WaitAsync(changed, remaining, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the leader changes or <paramref name="timeout"/> passes.</summary>
    public Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitAsync(Volatile.Read(ref _changed).Task, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] loops;
        lock (_gate)
        {
            loops = [.. _nodes.Values.Select(w => w.Loop)];
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        _probe.Dispose();
        _stopping.Dispose();
    }

    private async Task PollAsync(NodeWatch watch, CancellationToken cancellationToken)
    {
        // Yield so that Apply, which holds the lock, is not re-entered by the first probe.
        await Task.Yield();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var started = _time.GetTimestamp();
                TimeSpan interval, timeout;
                bool requireWritable;
                lock (_gate)
                {
                    interval = _pollInterval;
                    timeout = _probeTimeout;
                    requireWritable = _requireWritable;
                }

                var (outcome, error) = await _probe.ProbeAsync(watch.PrimaryUri, timeout, requireWritable, cancellationToken).ConfigureAwait(false);
                if (error is not null)
                {
                    _logger.ProbeFailed(_cluster, watch.Node.Name, error);
                }

                Observe(watch, outcome);
                var wait = interval - _time.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The node was removed or the proxy is stopping.
        }
    }

    private void Observe(NodeWatch watch, ProbeOutcome outcome)
    {
        bool roleChanged;
        lock (_gate)
        {
            if (!_nodes.TryGetValue(watch.Node.Name, out var live) || live != watch)
            {
                return;
            }

            roleChanged = watch.Outcome != outcome;
            watch.Outcome = outcome;
            if (outcome == ProbeOutcome.Unreachable)
            {
                watch.UnreachableSince ??= _time.GetUtcNow();
            }
            else
            {
                watch.UnreachableSince = null;
            }

            // Even without a role change, the grace period of an unreachable leader may have run out.
            roleChanged |= Evaluate();
        }

        if (roleChanged)
        {
            StateChanged?.Invoke();
        }
    }

    /// <summary>Decides the leader from the latest outcome of every node; returns whether it changed. Caller holds the lock.</summary>
    private bool Evaluate()
    {
        var current = _current.Leader;
        NodeWatch? currentWatch = null;
        if (current is not null && _nodes.TryGetValue(current.Name, out var w) && w.Node == current)
        {
            currentWatch = w;
        }

        List<NodeWatch>? claimants = null;
        foreach (var watch in _nodes.Values)
        {
            if (watch.Outcome == ProbeOutcome.Leader)
            {
                (claimants ??= []).Add(watch);
            }
        }

        ProxyNodeConfig? next = null;
        var closePrevious = false;
        string reason;
        if (currentWatch?.Outcome == ProbeOutcome.Leader)
        {
            next = current;
            reason = "still leader";
            LogAmbiguity(claimants, current!.Name);
        }
        else if (claimants is { Count: 1 })
        {
            next = claimants[0].Node;
            reason = $"{next.Name} answers 200 on /primary";
        }
        else if (claimants is { Count: > 1 })
        {
            reason = $"{string.Join(", ", claimants.Select(c => c.Node.Name))} all claim leadership";
            LogAmbiguity(claimants, "none");
        }
        else
        {
            reason = "no node answers 200 on /primary";
        }

        if (next is null && current is not null)
        {
            if (currentWatch is null)
            {
                closePrevious = true;
                reason = $"{current.Name} left the config";
            }
            else if (currentWatch.Outcome == ProbeOutcome.NotLeader)
            {
                closePrevious = true;
                reason = $"{current.Name} answers 503 on /primary";
            }
            else if (currentWatch.UnreachableSince is { } since && _time.GetUtcNow() - since < _unreachableGrace)
            {
                next = current;
            }
            else
            {
                reason = $"Patroni of {current.Name} unreachable for {_unreachableGrace.TotalSeconds:0.#} s";
            }
        }

        if (next == current)
        {
            return false;
        }

        var snapshot = new LeaderSnapshot(next, _time.GetUtcNow(), _current.Epoch + 1);
        Volatile.Write(ref _current, snapshot);
        _metrics.LeaderChanged(next is not null, snapshot.Since);
        _logger.LeaderChanged(_cluster, current?.Name ?? "none", next?.Name ?? "none", reason);
        LeaderChanged?.Invoke(new LeaderChange(current, next, closePrevious, reason));
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
        return true;
    }

    private void LogAmbiguity(List<NodeWatch>? claimants, string keeping)
    {
        var names = claimants is { Count: > 1 } ? string.Join(", ", claimants.Select(c => c.Node.Name)) : null;
        if (names is not null && names != _ambiguousLogged)
        {
            _logger.SeveralLeaders(_cluster, names, keeping);
        }

        _ambiguousLogged = names;
    }

    private async Task WaitAsync(Task signal, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, _time, delayCancel.Token);
        await Task.WhenAny(signal, delay).ConfigureAwait(false);
        await delayCancel.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
