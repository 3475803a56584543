using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Hangar.ObjectStore.Metrics;

/// <summary>
/// Request and byte counters. The counts live here and the Meter observes them, so the same numbers
/// reach OpenTelemetry listeners and the Prometheus text served on /_hangar/metrics.
/// </summary>
internal sealed class S3Metrics : IDisposable
{
    public const string MeterName = "Hangar.ObjectStore";

    private readonly ConcurrentDictionary<(string Operation, int Status), StrongBox<long>> _requests = new();
    private readonly Meter _meter;
    private long _bytesIn;
    private long _bytesOut;

    public S3Metrics()
    {
        _meter = new Meter(MeterName);
        _meter.CreateObservableCounter("hangar.s3.requests", ObserveRequests, "{request}", "S3 requests by operation and status");
        _meter.CreateObservableCounter("hangar.s3.received", () => Volatile.Read(ref _bytesIn), "By", "Object bytes received");
        _meter.CreateObservableCounter("hangar.s3.sent", () => Volatile.Read(ref _bytesOut), "By", "Object bytes sent");
    }

    public void Record(string operation, int status, long bytesIn, long bytesOut)
    {
        var box = _requests.GetOrAdd((operation, status), static _ => new StrongBox<long>());
        Interlocked.Increment(ref box.Value);
        if (bytesIn > 0)
        {
            Interlocked.Add(ref _bytesIn, bytesIn);
        }
        if (bytesOut > 0)
        {
            Interlocked.Add(ref _bytesOut, bytesOut);
        }
    }

    public long Requests(string operation, int status) =>
        _requests.TryGetValue((operation, status), out var box) ? Volatile.Read(ref box.Value) : 0;

    private IEnumerable<Measurement<long>> ObserveRequests()
    {
        foreach (var ((operation, status), box) in _requests)
        {
            yield return new Measurement<long>(Volatile.Read(ref box.Value),
                new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("status", status));
        }
    }

    public string ToPrometheus()
    {
        var sb = new StringBuilder();
        sb.Append("# HELP hangar_s3_requests_total S3 requests by operation and HTTP status.\n# TYPE hangar_s3_requests_total counter\n");
        foreach (var ((operation, status), box) in _requests.OrderBy(r => r.Key.Operation, StringComparer.Ordinal).ThenBy(r => r.Key.Status))
        {
            sb.Append(CultureInfo.InvariantCulture, $"hangar_s3_requests_total{{operation=\"{operation}\",status=\"{status}\"}} {Volatile.Read(ref box.Value)}\n");
        }
        sb.Append("# HELP hangar_s3_received_bytes_total Object bytes received.\n# TYPE hangar_s3_received_bytes_total counter\n");
        sb.Append(CultureInfo.InvariantCulture, $"hangar_s3_received_bytes_total {Volatile.Read(ref _bytesIn)}\n");
        sb.Append("# HELP hangar_s3_sent_bytes_total Object bytes sent.\n# TYPE hangar_s3_sent_bytes_total counter\n");
        sb.Append(CultureInfo.InvariantCulture, $"hangar_s3_sent_bytes_total {Volatile.Read(ref _bytesOut)}\n");
        return sb.ToString();
    }

    public void Dispose() => _meter.Dispose();
}
