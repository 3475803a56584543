using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Hangar.Core.Metrics;

/// <summary>
/// Listens to the named <see cref="Meter"/>s of this process and renders what they measured in the Prometheus text
/// exposition format (0.0.4), with OpenTelemetry's rules for names: dots become underscores, the unit becomes a
/// suffix (By → _bytes, s → _seconds, {annotations} dropped), counters end in _total. Tag keys lose a leading
/// "hangar." (so "hangar.cluster" is the label <c>cluster</c>). Counters and up-down counters are summed per tag set;
/// observable instruments report what their callback returns at scrape time; histograms keep cumulative buckets.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>Bucket bounds in seconds for a duration histogram without advice: 5 ms to 5 minutes.</summary>
    public static readonly IReadOnlyList<double> DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly MeterListener _listener;
    private readonly Func<Instrument, bool> _include;
    private readonly ConcurrentDictionary<Instrument, Family> _families = new();
    private readonly Lock _observeLock = new();

    /// <summary>Listens to every meter of one of these names in the process.</summary>
    public PrometheusExporter(params string[] meterNames)
        : this(instrument => meterNames.Contains(instrument.Meter.Name, StringComparer.Ordinal))
    {
    }

    /// <summary>Listens to the instruments <paramref name="include"/> picks (one meter instance, say).</summary>
    public PrometheusExporter(Func<Instrument, bool> include)
    {
        _include = include;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (_include(instrument))
                {
                    _families[instrument] = new Family(instrument);
                    listener.EnableMeasurementEvents(instrument, this);
                }
            },
            MeasurementsCompleted = (instrument, _) => _families.TryRemove(instrument, out Family? _),
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Every family, observable instruments observed now, sorted by name.</summary>
    public string Render()
    {
        lock (_observeLock)
        {
            // Observable instruments report a fresh absolute value each time: drop the last one so a tag set that
            // disappeared (a deleted cluster) disappears from the page too.
            foreach (var family in _families.Values.Where(f => f.Observable))
            {
                family.Series.Clear();
            }

            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                family.Write(text);
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_families.TryGetValue(instrument, out var family))
        {
            family.Record(value, Labels(tags));
        }
    }

    /// <summary>The label part of a series, {a="1",b="x"}, keys sorted, or empty without tags.</summary>
    public static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        var sorted = tags.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder("{");
        foreach (var (key, value) in sorted)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }

            text.Append(LabelName(key)).Append("=\"");
            AppendEscaped(text, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
            text.Append('"');
        }

        return text.Append('}').ToString();
    }

    /// <summary>The Prometheus name of an instrument: "hangar.s3.requests" counter of "{request}" is hangar_s3_requests_total.</summary>
    public static string MetricName(string name, string? unit, bool counter)
    {
        var text = new StringBuilder(Sanitize(name));
        var suffix = unit switch
        {
            "By" => "bytes",
            "s" => "seconds",
            "ms" => "milliseconds",
            "1" => "ratio",
            null or "" => null,
            _ when unit.StartsWith('{') => null,
            _ => Sanitize(unit),
        };
        if (suffix is not null && !text.ToString().EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            text.Append('_').Append(suffix);
        }

        if (counter && !text.ToString().EndsWith("_total", StringComparison.Ordinal))
        {
            text.Append("_total");
        }

        return text.ToString();
    }

    public static string LabelName(string key) => Sanitize(key.StartsWith("hangar.", StringComparison.Ordinal) ? key["hangar.".Length..] : key);

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string Sanitize(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_');
        }

        if (text.Length > 0 && char.IsAsciiDigit(text[0]))
        {
            text.Insert(0, '_');
        }

        return text.ToString();
    }

    private static void AppendEscaped(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }
    }

    private sealed class Family
    {
        private readonly Instrument _instrument;
        private readonly double[]? _bounds;

        public Family(Instrument instrument)
        {
            _instrument = instrument;
            var type = instrument.GetType();
            var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
            Observable = instrument.IsObservable;
            Histogram = generic == typeof(Histogram<>);
            Sum = generic == typeof(Counter<>) || generic == typeof(UpDownCounter<>);
            Counter = generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>);
            Type = Histogram ? "histogram" : Counter ? "counter" : "gauge";
            Name = MetricName(instrument.Name, instrument.Unit, Counter);
            if (Histogram)
            {
                _bounds = [.. HistogramBounds(instrument) ?? DefaultBuckets];
            }
        }

        public string Name { get; }

        public string Type { get; }

        public bool Observable { get; }

        public bool Histogram { get; }

        public bool Sum { get; }

        public bool Counter { get; }

        public ConcurrentDictionary<string, Series> Series { get; } = new(StringComparer.Ordinal);

        public void Record(double value, string labels)
        {
            var series = Series.GetOrAdd(labels, static (_, bounds) => new Series(bounds?.Length ?? 0), _bounds);
            lock (series)
            {
                if (Histogram)
                {
                    var i = 0;
                    while (i < _bounds!.Length && value > _bounds[i])
                    {
                        i++;
                    }

                    if (i < _bounds.Length)
                    {
                        series.Buckets[i]++;
                    }

                    series.Count++;
                    series.Value += value;
                }
                else if (Sum)
                {
                    series.Value += value;
                }
                else
                {
                    series.Value = value;
                }
            }
        }

        public void Write(StringBuilder text)
        {
            if (Series.IsEmpty)
            {
                return;
            }

            if (_instrument.Description is { Length: > 0 } help)
            {
                text.Append("# HELP ").Append(Name).Append(' ').Append(help.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal)).Append('\n');
            }

            text.Append("# TYPE ").Append(Name).Append(' ').Append(Type).Append('\n');
            foreach (var (labels, series) in Series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                lock (series)
                {
                    if (!Histogram)
                    {
                        text.Append(Name).Append(labels).Append(' ').Append(FormatValue(series.Value)).Append('\n');
                        continue;
                    }

                    long cumulative = 0;
                    for (var i = 0; i < _bounds!.Length; i++)
                    {
                        cumulative += series.Buckets[i];
                        text.Append(Name).Append("_bucket").Append(WithLe(labels, FormatValue(_bounds[i]))).Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    }

                    text.Append(Name).Append("_bucket").Append(WithLe(labels, "+Inf")).Append(' ').Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    text.Append(Name).Append("_sum").Append(labels).Append(' ').Append(FormatValue(series.Value)).Append('\n');
                    text.Append(Name).Append("_count").Append(labels).Append(' ').Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }

        private static string WithLe(string labels, string le) =>
            labels.Length == 0 ? "{le=\"" + le + "\"}" : labels[..^1] + ",le=\"" + le + "\"}";

        private static IReadOnlyList<double>? HistogramBounds(Instrument instrument) => instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            _ => null,
        };
    }

    private sealed class Series(int buckets)
    {
        public double Value;
        public long Count;
        public readonly long[] Buckets = new long[buckets];
    }
}
