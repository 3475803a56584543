using System.Diagnostics.Metrics;
using Hangar.Core.Metrics;

namespace Hangar.ObjectStore.Metrics;

/// <summary>
/// The "Hangar.ObjectStore" meter: requests by operation and status, object bytes in and out, request duration.
/// Labels are the S3 operation and the HTTP status only (bounded sets), never a bucket or key. Rendered in the
/// Prometheus text format on /_hangar/metrics by an exporter that listens to this instance's meter alone, so two
/// servers in one test process keep their counts apart.
/// </summary>
internal sealed class S3Metrics : IDisposable
{
    public const string MeterName = "Hangar.ObjectStore";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _received;
    private readonly Counter<long> _sent;
    private readonly Histogram<double> _duration;
    private readonly PrometheusExporter _exporter;

    public S3Metrics()
    {
        _meter = new Meter(MeterName);
        _exporter = new PrometheusExporter(instrument => ReferenceEquals(instrument.Meter, _meter));
        _requests = _meter.CreateCounter<long>("hangar.s3.requests", "{request}", "S3 requests by operation and HTTP status.");
        _received = _meter.CreateCounter<long>("hangar.s3.received", "By", "Object bytes received.");
        _sent = _meter.CreateCounter<long>("hangar.s3.sent", "By", "Object bytes sent.");
        _duration = _meter.CreateHistogram<double>("hangar.s3.request.duration", "s", "Time from request to the end of the response, by operation.");

        // Present from the start (0), so rate() works from the first request on.
        _received.Add(0);
        _sent.Add(0);
    }

    public void Record(string operation, int status, long bytesIn, long bytesOut, TimeSpan duration)
    {
        var op = new KeyValuePair<string, object?>("operation", operation);
        _requests.Add(1, op, new KeyValuePair<string, object?>("status", status));
        _duration.Record(duration.TotalSeconds, op);
        if (bytesIn > 0)
        {
            _received.Add(bytesIn);
        }

        if (bytesOut > 0)
        {
            _sent.Add(bytesOut);
        }
    }

    public string ToPrometheus() => _exporter.Render();

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }
}
