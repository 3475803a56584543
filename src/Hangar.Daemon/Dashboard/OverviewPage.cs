using System.Text;
using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Postgres;
using Hangar.Daemon.Redis;
using Hangar.Daemon.Storage;
using Hangar.Daemon.Volumes;
using Hangar.Postgres.Checks;
using Hangar.State;
using Hangar.Supervision;
using static Hangar.Daemon.Dashboard.DashboardHtml;

namespace Hangar.Daemon.Dashboard;

/// <summary>Everything at a glance: platform health, then apps, clusters, Redis, buckets and volumes, each linking to its page.</summary>
internal sealed class OverviewPage(
    AppService apps,
    PostgresService postgres,
    RedisService redis,
    StorageService storage,
    VolumeService volumes,
    IKeyValueStore kv,
    Supervisor supervisor,
    DataDirectory data,
    PrometheusQueries prometheus)
{
    public async Task<string> RenderAsync(DashboardSessions.Session session, CancellationToken cancellationToken)
    {
        var health = await kv.HealthAsync(cancellationToken);
        var appsTask = apps.ListAsync(cancellationToken);
        var clustersTask = postgres.ListAsync(cancellationToken);
        var redisTask = redis.ListAsync(cancellationToken);
        var bucketsTask = storage.ListAsync(cancellationToken);
        var volumesTask = volumes.ListAsync(null, cancellationToken);
        var promTask = prometheus.InstantAsync("vector(1)", cancellationToken);
        await Task.WhenAll(appsTask, clustersTask, redisTask, bucketsTask, volumesTask, promTask);

        var processes = supervisor.List();
        var down = processes.Where(p => p.State != ProcessState.Running).Select(p => p.Name).ToList();
        var disk = VmCheck.Disk(data.Root);
        var html = new StringBuilder("<h1>Overview</h1><div class=\"grid\"><section class=\"card health\"><h3>Platform</h3><dl>");
        html.Append("<dt>store</dt><dd>").Append(Badge(health.Healthy ? "ok" : "failing")).Append(' ').Append(E(health.Backend)).Append(health.Error is null ? string.Empty : ": " + E(health.Error)).Append("</dd>")
            .Append("<dt>disk</dt><dd>").Append(Badge(disk.Status.ToString().ToLowerInvariant())).Append(' ').Append(E(disk.Output)).Append("</dd>")
            .Append("<dt>processes</dt><dd>").Append(Badge(down.Count == 0 ? "ok" : "warning")).Append(' ').Append(processes.Count - down.Count).Append(" of ").Append(processes.Count).Append(" running")
            .Append(down.Count == 0 ? string.Empty : " (not: " + E(string.Join(", ", down.Take(8))) + ")").Append("</dd>")
            .Append("<dt>metrics</dt><dd>").Append(promTask.Result.Series is not null ? Badge("ok") + " " + E(prometheus.Url) : "<span class=\"unavailable\">metrics unavailable: " + E(promTask.Result.Unavailable) + "</span>").Append("</dd></dl></section>");

        html.Append("<section class=\"card\"><h3>Postgres clusters</h3>");
        Table(html, clustersTask.Result, ["cluster", "state", "preset", "nodes", "port"],
            c => [Link(DashboardPaths.Postgres(c.Name), c.Name), Badge(c.State), E(c.Preset), c.NodeCount.ToString(System.Globalization.CultureInfo.InvariantCulture), c.ProxyPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—"]);
        html.Append("</section><section class=\"card\"><h3>Redis</h3>");
        Table(html, redisTask.Result, ["instance", "state", "port", "max memory"],
            r => [Link(DashboardPaths.Redis(r.Name), r.Name), Badge(r.State), r.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—", $"{r.MaxMemoryMb} MiB"]);
        html.Append("</section><section class=\"card\"><h3>Buckets</h3>");
        Table(html, bucketsTask.Result, ["bucket", "state", "objects", "size", "access"],
            b => [Link(DashboardPaths.Bucket(b.Name), b.Name), Badge(b.State), b.Objects?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—", Bytes(b.Bytes), b.Public ? "public" : "private"]);
        html.Append("</section><section class=\"card\"><h3>Apps</h3>");
        Table(html, appsTask.Result, ["app", "secrets", "attached"], a => [E(a.Name), a.Secrets.ToString(System.Globalization.CultureInfo.InvariantCulture), E(string.Join(", ", a.Attached))]);
        var vols = volumesTask.Result;
        html.Append("</section><section class=\"card\"><h3><a href=\"/dashboard/volumes\">Volumes</a></h3><dl><dt>volumes</dt><dd>").Append(vols.Count)
            .Append("</dd><dt>declared</dt><dd>").Append(vols.Sum(v => v.SizeGb)).Append(" GB</dd><dt>used</dt><dd>").Append(Bytes(vols.Sum(v => v.UsedBytes)))
            .Append("</dd><dt>not ready</dt><dd>").Append(vols.Count(v => v.Phase != VolumePhase.Created)).Append("</dd></dl></section></div>");
        return Page("Overview", session, html.ToString());
    }

    private static string Link(string path, string text) => $"<a href=\"{E(path)}\">{E(text)}</a>";

    private static void Table<T>(StringBuilder html, IReadOnlyList<T> rows, string[] headers, Func<T, string[]> cells)
    {
        if (rows.Count == 0)
        {
            html.Append("<p class=\"muted\">none</p>");
            return;
        }

        html.Append("<table><thead><tr>").Append(string.Concat(headers.Select(h => $"<th>{h}</th>"))).Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>").Append(string.Concat(cells(row).Select(c => $"<td>{c}</td>"))).Append("</tr>");
        }

        html.Append("</tbody></table>");
    }
}
