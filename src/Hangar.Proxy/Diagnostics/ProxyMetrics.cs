using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Hangar.Proxy.Diagnostics;

/// <summary>Counters of the "Hangar.Proxy" meter; names follow Kestrel's (OpenTelemetry style, seconds as unit).</summary>
internal sealed class ProxyMetrics : IDisposable
{
    public const string MeterName = "Hangar.Proxy";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly KeyValuePair<string, object?> _clusterTag;
    private readonly Counter<long> _connections;
    private readonly UpDownCounter<long> _activeConnections;
    private readonly Counter<long> _rejectedConnections;
    private readonly Counter<long> _failoverClosedConnections;
    private readonly Counter<long> _leaderChanges;
    private readonly Counter<long> _transferred;
    private readonly Histogram<double> _connectionDuration;
    private readonly Histogram<double> _leaderWait;
    private readonly Histogram<double> _failoverDuration;
    private DateTimeOffset? _leaderlessSince;

    public ProxyMetrics(string cluster, IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _clusterTag = new("hangar.cluster", cluster);
        _connections = _meter.CreateCounter<long>("hangar.proxy.connections", "{connection}", "Client connections accepted.");
        _activeConnections = _meter.CreateUpDownCounter<long>("hangar.proxy.active_connections", "{connection}", "Connections currently forwarded to a node.");
        _rejectedConnections = _meter.CreateCounter<long>("hangar.proxy.rejected_connections", "{connection}", "Client connections closed before reaching a leader.");
        _failoverClosedConnections = _meter.CreateCounter<long>("hangar.proxy.failover_closed_connections", "{connection}", "Forwarded connections closed because their node stopped being the leader.");
        _leaderChanges = _meter.CreateCounter<long>("hangar.proxy.leader_changes", "{change}", "Times the routed-to leader changed (including to none).");
        _transferred = _meter.CreateCounter<long>("hangar.proxy.transferred", "By", "Bytes forwarded, counted when a connection ends.");
        _connectionDuration = _meter.CreateHistogram<double>("hangar.proxy.connection.duration", "s", "Lifetime of forwarded connections.");
        _leaderWait = _meter.CreateHistogram<double>("hangar.proxy.leader_wait.duration", "s", "Time a new connection waited for a leader before being forwarded.");
        _failoverDuration = _meter.CreateHistogram<double>("hangar.proxy.failover.duration", "s", "Time from losing the leader to routing to a new one, as the proxy saw it.");
        _meter.CreateObservableGauge("hangar.proxy.steered_connections", () => new Measurement<long>(SteeredConnections?.Invoke() ?? 0, _clusterTag), "{connection}", "Connections the kernel handed straight to the leader's socket, still open.");
        _leaderChanges.Add(0, _clusterTag);
        _connections.Add(0, _clusterTag);
    }

    public Meter Meter => _meter;

    /// <summary>Open kernel-steered connections (the proxy counts them on the leader's socket table).</summary>
    public Func<long>? SteeredConnections { get; set; }

    public void ConnectionAccepted() => _connections.Add(1, _clusterTag);

    public void ConnectionRejected(string reason) =>
        _rejectedConnections.Add(1, _clusterTag, new("error.type", reason));

    public void ConnectionForwarded(string node, TimeSpan waited)
    {
        _activeConnections.Add(1, _clusterTag, new("hangar.node", node));
        _leaderWait.Record(waited.TotalSeconds, _clusterTag);
    }

    public void ConnectionEnded(string node, TimeSpan duration, long toServer, long toClient)
    {
        var nodeTag = new KeyValuePair<string, object?>("hangar.node", node);
        _activeConnections.Add(-1, _clusterTag, nodeTag);
        _connectionDuration.Record(duration.TotalSeconds, _clusterTag, nodeTag);
        var tags = new TagList { _clusterTag, nodeTag, { "network.io.direction", "transmit" } };
        _transferred.Add(toServer, tags);
        tags = new TagList { _clusterTag, nodeTag, { "network.io.direction", "receive" } };
        _transferred.Add(toClient, tags);
    }

    public void FailoverClosed(int count) => _failoverClosedConnections.Add(count, _clusterTag);

    /// <summary>A change of the routed-to leader; a leaderless spell that ends is recorded as a failover's duration.</summary>
    public void LeaderChanged(bool hasLeader, DateTimeOffset now)
    {
        _leaderChanges.Add(1, _clusterTag);
        if (!hasLeader)
        {
            _leaderlessSince ??= now;
        }
        else if (_leaderlessSince is { } since)
        {
            _failoverDuration.Record((now - since).TotalSeconds, _clusterTag);
            _leaderlessSince = null;
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
