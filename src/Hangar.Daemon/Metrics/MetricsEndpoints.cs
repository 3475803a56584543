using System.Text.Json;
using System.Text.Json.Nodes;
using Hangar.Core.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hangar.Daemon.Metrics;

/// <summary>
/// The one scrape point: the daemon's own metrics at /metrics and Prometheus HTTP service discovery at
/// /v1/metrics/targets (the http_sd_configs JSON: a list of {targets, labels}). Both take the API token or the
/// read-only metrics token.
/// </summary>
internal static class MetricsEndpoints
{
    public const string MetricsPath = "/metrics";
    public const string TargetsPath = "/v1/metrics/targets";

    public static bool IsScrapeRoute(PathString path) => path == MetricsPath || path == TargetsPath;

    public static void MapMetricsEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(MetricsPath, (PrometheusExporter exporter) => Results.Text(exporter.Render(), PrometheusExporter.ContentType)).WithTags("metrics");
        routes.MapGet(TargetsPath, (MetricsRefresher refresher) => Results.Text(ServiceDiscovery(refresher.Targets), "application/json")).WithTags("metrics");
    }

    /// <summary>The http_sd_configs document: one group per target, so each keeps its own labels.</summary>
    public static string ServiceDiscovery(IReadOnlyList<ScrapeTarget> targets)
    {
        var groups = new JsonArray();
        foreach (var target in targets)
        {
            var labels = new JsonObject();
            foreach (var (key, value) in target.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                labels[key] = value;
            }

            groups.Add(new JsonObject { ["targets"] = new JsonArray(target.Address), ["labels"] = labels });
        }

        return groups.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
