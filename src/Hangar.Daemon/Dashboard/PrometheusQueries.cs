using System.Globalization;
using System.Text.Json;
using Hangar.Daemon.Hosting;

namespace Hangar.Daemon.Dashboard;

/// <summary>
/// The dashboard's reader of Prometheus's HTTP API (`query_range`, `query`) at <see cref="DaemonOptions.PrometheusUrl"/>.
/// Every failure — none configured, refused, slow, an error answer — is a value with a reason, so a page renders with
/// "metrics unavailable" instead of failing; a short timeout keeps a dead Prometheus from holding a page.
/// </summary>
internal sealed class PrometheusQueries(DaemonOptions options, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private readonly HttpClient _http = new() { Timeout = Timeout };

    public string? Url => options.PrometheusUrl;

    public sealed record Series(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(double Time, double Value)> Points);

    public sealed record Answer(IReadOnlyList<Series>? Series, string? Unavailable)
    {
        public static Answer Missing(string reason) => new(null, reason);
    }

    public Task<Answer> RangeAsync(string query, ChartRange range, CancellationToken cancellationToken)
    {
        var end = time.GetUtcNow().ToUnixTimeSeconds();
        var start = end - (long)range.Duration.TotalSeconds;
        return GetAsync("api/v1/query_range", $"query={Uri.EscapeDataString(query)}&start={start}&end={end}&step={(int)range.Step.TotalSeconds}", cancellationToken);
    }

    public Task<Answer> InstantAsync(string query, CancellationToken cancellationToken) =>
        GetAsync("api/v1/query", "query=" + Uri.EscapeDataString(query), cancellationToken);

    private async Task<Answer> GetAsync(string path, string query, CancellationToken cancellationToken)
    {
        if (options.PrometheusUrl is not { Length: > 0 } url)
        {
            return Answer.Missing("no Prometheus configured (hangar up --prometheus-url)");
        }

        try
        {
            using var response = await _http.GetAsync(url.TrimEnd('/') + "/" + path + "?" + query, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            var root = document.RootElement;
            if (!response.IsSuccessStatusCode || root.GetProperty("status").GetString() != "success")
            {
                return Answer.Missing($"Prometheus answered {(int)response.StatusCode}: {(root.TryGetProperty("error", out var e) ? e.GetString() : "no error text")}");
            }

            return new Answer(Parse(root.GetProperty("data")), null);
        }
        catch (HttpRequestException ex)
        {
            return Answer.Missing($"Prometheus at {url} is not answering ({ex.Message})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Answer.Missing($"Prometheus at {url} did not answer within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Answer.Missing($"Prometheus at {url} gave an answer that is not its API's ({ex.GetType().Name})");
        }
    }

    private static List<Series> Parse(JsonElement data)
    {
        var result = new List<Series>();
        foreach (var item in data.GetProperty("result").EnumerateArray())
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var label in item.GetProperty("metric").EnumerateObject())
            {
                labels[label.Name] = label.Value.GetString() ?? string.Empty;
            }

            var points = new List<(double, double)>();
            if (item.TryGetProperty("values", out var values))
            {
                foreach (var pair in values.EnumerateArray())
                {
                    Add(points, pair);
                }
            }
            else if (item.TryGetProperty("value", out var value))
            {
                Add(points, value);
            }

            result.Add(new Series(labels, points));
        }

        return result;
    }

    private static void Add(List<(double, double)> points, JsonElement pair)
    {
        // NaN and ±Inf come as strings Prometheus can produce (a ratio over nothing); they are not points.
        if (double.TryParse(pair[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
        {
            points.Add((pair[0].GetDouble(), v));
        }
    }

    public void Dispose() => _http.Dispose();
}
