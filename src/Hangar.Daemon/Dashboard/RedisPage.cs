using System.Text;
using Hangar.Daemon.Checks;
using Hangar.Daemon.Redis;
using static Hangar.Daemon.Dashboard.DashboardHtml;

namespace Hangar.Daemon.Dashboard;

/// <summary>A Redis instance: what INFO says now, its checks, and memory, ops/s, hit ratio and clients over time.</summary>
internal sealed class RedisPage(RedisService redis, IEnumerable<ICheckProvider> checks, PrometheusQueries prometheus, TimeProvider time)
{
    public static IReadOnlyList<ChartSpec> Charts(string name, ChartRange range)
    {
        var i = PromQl.Label(name);
        var w = range.RateWindow;
        return
        [
            new("Memory used / max", $"{{__name__=~\"redis_memory_used_bytes|redis_memory_max_bytes\", instance=\"{i}\"}}", "__name__", v => Bytes(v)),
            new("Operations/s", $"sum(rate(redis_commands_processed_total{{instance=\"{i}\"}}[{w}]))", null, Number),
            new("Hit ratio", $"sum(rate(redis_keyspace_hits_total{{instance=\"{i}\"}}[{w}])) / (sum(rate(redis_keyspace_hits_total{{instance=\"{i}\"}}[{w}])) + sum(rate(redis_keyspace_misses_total{{instance=\"{i}\"}}[{w}])))", null, Percent, "no point while there are no reads"),
            new("Clients", $"sum(redis_connected_clients{{instance=\"{i}\"}})", null, Number),
        ];
    }

    public async Task<string> RenderAsync(string name, ChartRange range, DashboardSessions.Session session, CancellationToken cancellationToken)
    {
        var status = await redis.StatusAsync(name, cancellationToken);
        var checksTask = DashboardCharts.ChecksAsync(checks, name, time, cancellationToken);
        var chartsTask = DashboardCharts.RenderAsync(prometheus, Charts(name, range), range, time.GetUtcNow(), cancellationToken);
        await Task.WhenAll(checksTask, chartsTask);
        var instance = status.Instance;
        var html = new StringBuilder();
        html.Append("<h1>Redis ").Append(E(instance.Name)).Append(' ').Append(Badge(instance.State)).Append("</h1><div class=\"grid\"><section class=\"card\"><dl>")
            .Append("<dt>address</dt><dd>").Append(E(instance.Host)).Append(':').Append(instance.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—").Append("</dd>")
            .Append("<dt>process</dt><dd>").Append(Badge(status.ProcessState)).Append(status.Restarts > 0 ? $" {status.Restarts} restarts" : string.Empty).Append("</dd>")
            .Append("<dt>memory</dt><dd>").Append(Bytes(status.UsedMemoryBytes)).Append(" of ").Append(status.MaxMemoryBytes is > 0 ? Bytes(status.MaxMemoryBytes) : $"{instance.MaxMemoryMb} MiB").Append("</dd>")
            .Append("<dt>eviction</dt><dd>").Append(E(instance.EvictionPolicy)).Append("</dd>")
            .Append("<dt>persistence</dt><dd>").Append(E(instance.Persistence)).Append("</dd>")
            .Append("<dt>keys</dt><dd>").Append(status.Keys?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—").Append("</dd>")
            .Append("<dt>clients</dt><dd>").Append(status.ConnectedClients?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—").Append("</dd>")
            .Append("<dt>ops/s now</dt><dd>").Append(status.OpsPerSecond?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—").Append("</dd>")
            .Append("<dt>version</dt><dd>").Append(E(status.Version ?? "—")).Append("</dd>")
            .Append("<dt>apps</dt><dd>").Append(E(instance.Apps.Count == 0 ? "none" : string.Join(", ", instance.Apps))).Append("</dd>");
        if (status.Unreachable is not null)
        {
            html.Append("<dt>unreachable</dt><dd class=\"error\">").Append(E(status.Unreachable)).Append("</dd>");
        }

        html.Append("</dl></section><section class=\"card\"><h3>Checks</h3>").Append(DashboardCharts.ChecksTable(checksTask.Result)).Append("</section></div>");
        html.Append("<h2>Metrics</h2>").Append(RangeTabs(DashboardPaths.Redis(name), range)).Append(chartsTask.Result);
        return Page("Redis " + name, session, html.ToString());
    }
}
