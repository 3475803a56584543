using System.Text;
using Hangar.Core.Resources;
using Hangar.Daemon.Volumes;
using Hangar.State;
using static Hangar.Daemon.Dashboard.DashboardHtml;

namespace Hangar.Daemon.Dashboard;

/// <summary>Every volume with its declared size, measured usage and snapshots (one listing of each, not one call per volume).</summary>
internal sealed class VolumesPage(VolumeService volumes, RecordStore store)
{
    public async Task<string> RenderAsync(DashboardSessions.Session session, CancellationToken cancellationToken)
    {
        var all = await volumes.ListAsync(null, cancellationToken);
        var snapshots = (await store.ListAsync<SnapshotRecord>(StoreKeys.Snapshots, cancellationToken)).Select(s => s.Value)
            .GroupBy(s => s.VolumeId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderByDescending(s => s.CreatedAt).ToList(), StringComparer.Ordinal);
        var html = new StringBuilder("<h1>Volumes</h1>");
        if (all.Count == 0)
        {
            return Page("Volumes", session, html.Append("<section class=\"card\"><p class=\"muted\">no volumes</p></section>").ToString());
        }

        html.Append("<section class=\"card\"><table class=\"volumes\"><thead><tr><th>volume</th><th>name</th><th>state</th><th>size</th><th>used</th><th>attached to</th><th>app</th><th>snapshots</th><th>latest snapshot</th></tr></thead><tbody>");
        foreach (var v in all)
        {
            var own = snapshots.GetValueOrDefault(v.Id) ?? [];
            var used = v.SizeGb > 0 ? (double)v.UsedBytes / (v.SizeGb * 1024d * 1024 * 1024) : 0;
            html.Append("<tr id=\"").Append(E(v.Id)).Append("\"><td>").Append(E(v.Id)).Append("</td><td>").Append(E(v.Name)).Append("</td><td>").Append(Badge(v.Phase.ToString().ToLowerInvariant()))
                .Append("</td><td>").Append(v.SizeGb).Append(" GB</td><td>").Append(Bytes(v.UsedBytes)).Append(" (").Append(Percent(used)).Append(")</td><td>")
                .Append(E(v.AttachedTo ?? "—")).Append("</td><td>").Append(E(v.App ?? "—")).Append("</td><td>").Append(own.Count).Append("</td><td>")
                .Append(own.Count == 0 ? "—" : Time(own[0].CreatedAt)).Append("</td></tr>");
        }

        html.Append("</tbody></table></section><h2>Snapshots</h2><section class=\"card\"><table><thead><tr><th>snapshot</th><th>volume</th><th>taken</th><th>kind</th><th>size</th><th>archive</th><th>expires</th></tr></thead><tbody>");
        var any = false;
        foreach (var s in snapshots.Values.SelectMany(s => s).OrderByDescending(s => s.CreatedAt).Take(100))
        {
            any = true;
            html.Append("<tr><td>").Append(E(s.Id)).Append("</td><td>").Append(E(s.VolumeId)).Append("</td><td>").Append(Time(s.CreatedAt)).Append("</td><td>")
                .Append(s.Error is not null ? Badge("failed") : s.Ready ? (s.Scheduled ? "scheduled" : "on request") : Badge("pending")).Append("</td><td>").Append(Bytes(s.SizeBytes))
                .Append("</td><td>").Append(Bytes(s.ArchiveBytes)).Append("</td><td>").Append(Time(s.ExpiresAt)).Append("</td></tr>");
        }

        html.Append("</tbody></table>").Append(any ? string.Empty : "<p class=\"muted\">no snapshots</p>").Append("</section>");
        return Page("Volumes", session, html.ToString());
    }
}
