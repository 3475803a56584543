using System.Diagnostics.Metrics;
using Hangar.Core.Metrics;
using Xunit;

namespace Hangar.Core.Tests.Metrics;

public sealed class PrometheusExporterTests
{
    [Theory]
    [InlineData("hangar.s3.requests", "{request}", true, "hangar_s3_requests_total")]
    [InlineData("hangar.s3.received", "By", true, "hangar_s3_received_bytes_total")]
    [InlineData("hangar.s3.request.duration", "s", false, "hangar_s3_request_duration_seconds")]
    [InlineData("hangar.volume.used", "By", false, "hangar_volume_used_bytes")]
    [InlineData("hangar.postgres.backup.drill.success", "1", false, "hangar_postgres_backup_drill_success_ratio")]
    [InlineData("hangar.reconcile.passes", null, true, "hangar_reconcile_passes_total")]
    [InlineData("already_total", null, true, "already_total")]
    public void Names_follow_OpenTelemetry_to_Prometheus_rules(string name, string? unit, bool counter, string expected) =>
        Assert.Equal(expected, PrometheusExporter.MetricName(name, unit, counter));

    [Fact]
    public void Counters_sum_per_tag_set_with_sorted_escaped_labels()
    {
        using var meter = new Meter("test.counters." + Guid.NewGuid());
        using var exporter = new PrometheusExporter(i => ReferenceEquals(i.Meter, meter));
        var requests = meter.CreateCounter<long>("hangar.s3.requests", "{request}", "S3 requests.");
        requests.Add(2, new("status", 200), new("operation", "PutObject"));
        requests.Add(3, new("operation", "PutObject"), new("status", 200));
        requests.Add(1, new("operation", "Get\"Ob\\ject\n"), new("status", 404));

        var text = exporter.Render();

        Assert.Equal(
            "# HELP hangar_s3_requests_total S3 requests.\n" +
            "# TYPE hangar_s3_requests_total counter\n" +
            "hangar_s3_requests_total{operation=\"Get\\\"Ob\\\\ject\\n\",status=\"404\"} 1\n" +
            "hangar_s3_requests_total{operation=\"PutObject\",status=\"200\"} 5\n",
            text);
    }

    [Fact]
    public void Histograms_have_cumulative_buckets_sum_and_count()
    {
        using var meter = new Meter("test.histograms." + Guid.NewGuid());
        using var exporter = new PrometheusExporter(i => ReferenceEquals(i.Meter, meter));
        var duration = meter.CreateHistogram("hangar.test.duration", "s", null, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        duration.Record(0.05);
        duration.Record(0.1);
        duration.Record(0.5);
        duration.Record(7);

        var lines = exporter.Render().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            [
                "# TYPE hangar_test_duration_seconds histogram",
                "hangar_test_duration_seconds_bucket{le=\"0.1\"} 2",
                "hangar_test_duration_seconds_bucket{le=\"1\"} 3",
                "hangar_test_duration_seconds_bucket{le=\"+Inf\"} 4",
                "hangar_test_duration_seconds_sum 7.65",
                "hangar_test_duration_seconds_count 4",
            ],
            lines);
    }

    [Fact]
    public void Observable_gauges_report_the_callback_now_and_drop_series_that_disappeared()
    {
        using var meter = new Meter("test.gauges." + Guid.NewGuid());
        using var exporter = new PrometheusExporter(i => ReferenceEquals(i.Meter, meter));
        var clusters = new List<string> { "a", "b" };
        meter.CreateObservableGauge("hangar.cluster.thing", () => clusters.Select(c => new Measurement<double>(1.5, new KeyValuePair<string, object?>("hangar.cluster", c))), "s");

        Assert.Contains("hangar_cluster_thing_seconds{cluster=\"b\"} 1.5\n", exporter.Render(), StringComparison.Ordinal);
        clusters.Remove("b");
        var after = exporter.Render();

        Assert.Contains("hangar_cluster_thing_seconds{cluster=\"a\"} 1.5\n", after, StringComparison.Ordinal);
        Assert.DoesNotContain("cluster=\"b\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public void Meters_not_picked_are_left_out_and_nothing_measured_renders_nothing()
    {
        using var mine = new Meter("test.mine." + Guid.NewGuid());
        using var other = new Meter("test.other." + Guid.NewGuid());
        using var exporter = new PrometheusExporter(i => ReferenceEquals(i.Meter, mine));
        mine.CreateCounter<long>("hangar.idle");
        other.CreateCounter<long>("hangar.elsewhere").Add(1);

        Assert.Equal(string.Empty, exporter.Render());
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(1e21, "1E+21")]
    [InlineData(0.25, "0.25")]
    public void Values_use_the_exposition_spelling(double value, string expected) =>
        Assert.Equal(expected, PrometheusExporter.FormatValue(value));
}
