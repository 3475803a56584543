using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Hangar.Proxy.Configuration;
using Hangar.Proxy.Diagnostics;
using Hangar.Proxy.Forwarding;
using Hangar.Proxy.Leadership;
using Hangar.Proxy.Status;
using Hangar.Proxy.Steering;
using Microsoft.Extensions.Logging;

namespace Hangar.Proxy;

/// <summary>
/// One running proxy for one cluster: listener, leader tracker, live connections and status file.
/// <see cref="ProxyProgram"/> runs one per process; tests host it in-process on port 0.
/// </summary>
internal sealed partial class ProxyHost : IAsyncDisposable
{
    private static readonly TimeSpan WakeRepeat = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WakeThrottle = TimeSpan.FromMilliseconds(200);

    private readonly Socket _listener;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ProxyMetrics _metrics;
    private readonly LeaderTracker _tracker;
    private readonly ConnectionRegistry _registry = new();
    private readonly StatusFileWriter? _status;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _handlersDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _acceptLoop;
    private readonly LeaderSteering? _steering;
    private readonly MetricsEndpoint? _metricsEndpoint;
    private readonly Task _steerLoop = Task.CompletedTask;
    private ProxyConfig _config;
    private int _steeredConnections;
    private int _steeredMustClose;
    private long _accepted;
    private long _wokenAt;
    private int _handlers = 1; // 1 stands for the host itself, released in DisposeAsync

    private ProxyHost(ProxyConfig config, Socket listener, string? statusPath, ILoggerFactory loggerFactory, TimeProvider time, IMeterFactory? meterFactory)
    {
        _config = config;
        _listener = listener;
        _time = time;
        _logger = loggerFactory.CreateLogger("Hangar.Proxy");
        _metrics = new ProxyMetrics(config.Cluster, meterFactory) { SteeredConnections = () => Volatile.Read(ref _steeredConnections) };
        ListenEndPoint = (IPEndPoint)listener.LocalEndPoint!;

        _tracker = new LeaderTracker(config.Cluster, time, _logger, _metrics);
        _tracker.LeaderChanged += OnLeaderChanged;
        if (statusPath is not null)
        {
            _status = new StatusFileWriter(statusPath, config.Cluster, Snapshot, time, _logger);
            _tracker.StateChanged += _status.Signal;
        }

        if (config.MetricsTokenFile is { } tokenFile)
        {
            _metricsEndpoint = MetricsEndpoint.Start(new IPEndPoint(ListenEndPoint.Address, 0), File.ReadAllText(tokenFile).Trim(), _metrics.Meter);
        }

        _tracker.Apply(config);
        _logger.Listening(config.Cluster, ListenEndPoint, config.Nodes.Length);
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
        if (config.KernelSteering)
        {
            // The listener above stays: it takes every connection the kernel does not steer.
            _steering = LeaderSteering.TryStart(ListenEndPoint, out var reason);
            if (_steering is null)
            {
                _logger.SteeringUnavailable(config.Cluster, reason!);
            }
            else
            {
                _logger.SteeringOn(config.Cluster);
                _steerLoop = SteerLoopAsync(_steering, _stopping.Token);
            }
        }
    }

    public IPEndPoint ListenEndPoint { get; }

    public ProxyConfig Config => Volatile.Read(ref _config);

    internal LeaderTracker Tracker => _tracker;

    internal ConnectionRegistry Registry => _registry;

    internal Meter Meter => _metrics.Meter;

    /// <summary>Whether new connections are handed to the leader by the kernel (see <see cref="LeaderSteering"/>).</summary>
    internal bool Steering => _steering is not null;

    /// <summary>Binds the listener (port 0 picks a free one) and starts probing and accepting.</summary>
    /// <param name="statusPath">Where to write the status file; null writes none.</param>
    public static ProxyHost Start(ProxyConfig config, string? statusPath, ILoggerFactory loggerFactory, TimeProvider timeProvider, IMeterFactory? meterFactory = null)
    {
        var listener = new Socket(config.Listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (config.Listen.AddressFamily == AddressFamily.InterNetworkV6 && config.Listen.Address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            // A restarted proxy must be able to bind while old connections linger in TIME_WAIT.
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(config.Listen);
            listener.Listen(512);
            return new ProxyHost(config, listener, statusPath, loggerFactory, timeProvider, meterFactory);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Applies a reloaded config: node changes and timings take effect; a listen or cluster change needs a restart.</summary>
    public void Reconfigure(ProxyConfig config)
    {
        var current = Config;
        if (!config.Listen.Equals(current.Listen))
        {
            _logger.ListenChangeIgnored(current.Cluster, config.Listen, ListenEndPoint);
        }

        config = config with { Cluster = current.Cluster, Listen = current.Listen, MetricsTokenFile = current.MetricsTokenFile };
        if (config == current)
        {
            return;
        }

        Volatile.Write(ref _config, config);
        _tracker.Apply(config);

        // Connections to a node that left the cluster (or moved) go, whether or not it led.
        var closed = _registry.Abort(node => !config.Nodes.Contains(node));
        if (closed > 0)
        {
            _metrics.FailoverClosed(closed);
        }

        _logger.ConfigReloaded(config.Cluster, string.Join(", ", config.Nodes.Select(n => n.Name)));
        _status?.Signal();
    }

    public ProxyStatus Snapshot()
    {
        var config = Config;
        var leader = _tracker.Current;
        var counts = _registry.CountByNode();
        if (_steering is not null && leader.Leader is { } steered)
        {
            // Steered connections are PostgreSQL's own; they count for the leader all the same.
            counts[steered.Name] = counts.GetValueOrDefault(steered.Name) + Volatile.Read(ref _steeredConnections);
        }

        var nodes = _tracker.Observations
            .OrderBy(o => o.Node.Name, StringComparer.Ordinal)
            .Select(o => new ProxyNodeStatus(o.Node.Name, o.Node.Host, o.Node.Port, RoleName(o.Outcome), counts.GetValueOrDefault(o.Node.Name)))
            .ToList();
        return new ProxyStatus(
            config.Cluster,
            ListenEndPoint.ToString(),
            Environment.ProcessId,
            leader.Leader?.Name,
            leader.Since,
            counts.Values.Sum(),
            Interlocked.Read(ref _accepted),
            nodes,
            _time.GetUtcNow(),
            _metricsEndpoint?.EndPoint.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _logger.Stopping(Config.Cluster);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        await _steerLoop.ConfigureAwait(false);
        _steering?.Dispose();
        if (_metricsEndpoint is not null)
        {
            await _metricsEndpoint.DisposeAsync().ConfigureAwait(false);
        }

        _registry.Abort(_ => true);
        HandlerFinished();
        await _handlersDone.Task.ConfigureAwait(false);
        await _tracker.DisposeAsync().ConfigureAwait(false);
        if (_status is not null)
        {
            await _status.DisposeAsync().ConfigureAwait(false);
        }

        _metrics.Dispose();
        _stopping.Dispose();
    }

    private void OnLeaderChanged(LeaderChange change)
    {
        // Runs under the tracker's lock, right after the new leader was published, so no connection
        // to the old leader can be registered after this sweep (see ConnectionRegistry).
        var closed = 0;
        if (change.Current is { } leader)
        {
            closed = _registry.Abort(node => node != leader);
        }
        else if (change.ClosePrevious && change.Previous is { } previous)
        {
            closed = _registry.Abort(node => node == previous);
        }

        if (closed > 0)
        {
            _metrics.FailoverClosed(closed);
            _logger.ClosedConnections(Config.Cluster, closed, change.Previous?.Name ?? "none");
        }

        if (change.Current is not null || change.ClosePrevious)
        {
            // The steering loop ends the steered connections of the old leader likewise.
            Volatile.Write(ref _steeredMustClose, 1);
        }

        _status?.Signal();
    }

    private static string RoleName(ProbeOutcome outcome) => outcome switch
    {
        ProbeOutcome.Leader => "leader",
        ProbeOutcome.NotLeader => "not_leader",
        ProbeOutcome.Unreachable => "unreachable",
        _ => "unknown",
    };

    private void HandlerFinished()
    {
        if (Interlocked.Decrement(ref _handlers) == 0)
        {
            _handlersDone.TrySetResult();
        }
    }
}
