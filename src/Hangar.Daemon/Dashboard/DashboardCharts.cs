using System.Text;
using Hangar.Client.Models;
using Hangar.Daemon.Checks;

namespace Hangar.Daemon.Dashboard;

/// <summary>What several pages share: a set of charts queried at once, and a resource's checks as a table.</summary>
internal static class DashboardCharts
{
    public static async Task<string> RenderAsync(PrometheusQueries prometheus, IReadOnlyList<ChartSpec> specs, ChartRange range, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(specs.Select(s => prometheus.RangeAsync(s.Query, range, cancellationToken)));
        var html = new StringBuilder("<div class=\"grid\">");
        for (var i = 0; i < specs.Count; i++)
        {
            html.Append(SvgChart.Render(specs[i], answers[i], range, now));
        }

        return html.Append("</div>").ToString();
    }

    /// <summary>Every provider's checks of <paramref name="name"/> (as `hangar checks list -a NAME`); a provider that fails shows as one critical row.</summary>
    public static async Task<IReadOnlyList<CheckInfo>> ChecksAsync(IEnumerable<ICheckProvider> providers, string name, TimeProvider time, CancellationToken cancellationToken)
    {
        var found = await Task.WhenAll(providers.Select(async p =>
        {
            try
            {
                return await p.ChecksAsync(name, cancellationToken) ?? [];
            }
            catch (Core.Errors.HangarException ex)
            {
                return [new CheckInfo("checks", "critical", ex.Message, name, time.GetUtcNow())];
            }
        }));
        return [.. found.SelectMany(c => c)];
    }

    public static string ChecksTable(IReadOnlyList<CheckInfo> checks)
    {
        if (checks.Count == 0)
        {
            return "<p class=\"muted\">no checks</p>";
        }

        var html = new StringBuilder("<table><thead><tr><th>check</th><th>status</th><th>output</th></tr></thead><tbody>");
        foreach (var check in checks)
        {
            html.Append("<tr><td>").Append(DashboardHtml.E(check.Name)).Append("</td><td>").Append(DashboardHtml.Badge(check.Status))
                .Append("</td><td>").Append(DashboardHtml.E(check.Output)).Append("</td></tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }
}
