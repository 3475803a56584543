using System.Text;
using Hangar.Core.Resources;
using Hangar.Daemon.Storage;
using Hangar.State;
using static Hangar.Daemon.Dashboard.DashboardHtml;

namespace Hangar.Daemon.Dashboard;

/// <summary>A bucket: size and objects, its request rate, and its objects one level at a time with presigned download links.</summary>
internal sealed class BucketPage(StorageService storage, RecordStore store, BucketObjects objects, PrometheusQueries prometheus, TimeProvider time)
{
    public const string PlatformRateNote = "Hangar's S3 server counts requests by operation and status, not by bucket: this is the rate of every bucket together.";

    public async Task<string> RenderAsync(string name, ChartRange range, string prefix, string? after, DashboardSessions.Session session, CancellationToken cancellationToken)
    {
        if (BackupKeys.IsSystemBucket(name))
        {
            throw Core.Errors.HangarException.NotFound("bucket", name);
        }

        var info = await storage.ShowAsync(name, cancellationToken);
        var record = (await store.GetAsync<BucketRecord>(BucketKeys.Bucket(name), cancellationToken))?.Value;
        var chartTask = RateChartAsync(name, range, cancellationToken);
        var html = new StringBuilder();
        html.Append("<h1>Bucket ").Append(E(info.Name)).Append(' ').Append(Badge(info.State)).Append("</h1><div class=\"grid\"><section class=\"card\"><dl>")
            .Append("<dt>objects</dt><dd class=\"objects\">").Append(info.Objects?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—").Append("</dd>")
            .Append("<dt>size</dt><dd>").Append(Bytes(info.Bytes)).Append("</dd>")
            .Append("<dt>access</dt><dd>").Append(info.Public ? "public" : "private").Append("</dd>")
            .Append("<dt>app</dt><dd>").Append(E(info.App ?? "none")).Append("</dd>")
            .Append("<dt>created</dt><dd>").Append(Time(info.CreatedAt)).Append("</dd>");
        if (info.Shadow is { } shadow)
        {
            html.Append("<dt>shadow of</dt><dd>").Append(E(shadow.Endpoint)).Append(' ').Append(E(shadow.Bucket)).Append("</dd>");
        }

        html.Append("</dl></section>").Append(await chartTask).Append("</div>");
        html.Append("<h2>Objects</h2><section class=\"card\">");
        if (record is null)
        {
            html.Append("<p class=\"muted\">made through the S3 API by an owner key: Hangar holds no key to list it</p>");
        }
        else
        {
            var listing = await objects.ListAsync(record, prefix, after, cancellationToken);
            Listing(html, name, prefix, listing);
        }

        html.Append("</section>");
        return Page("Bucket " + name, session, html.ToString());
    }

    private async Task<string> RateChartAsync(string name, ChartRange range, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var perBucket = new ChartSpec("Requests/s", $"sum(rate(hangar_s3_requests_total{{bucket=\"{PromQl.Label(name)}\"}}[{range.RateWindow}]))", null, Number);
        var answer = await prometheus.RangeAsync(perBucket.Query, range, cancellationToken);
        if (answer.Series is not { Count: 0 })
        {
            return SvgChart.Render(perBucket, answer, range, now);
        }

        // No series with this bucket's label: the S3 server's counter has none, so show the platform's rate and say so.
        var platform = new ChartSpec("Requests/s (all buckets)", $"sum(rate(hangar_s3_requests_total[{range.RateWindow}]))", null, Number, PlatformRateNote);
        return SvgChart.Render(platform, await prometheus.RangeAsync(platform.Query, range, cancellationToken), range, now);
    }

    private static void Listing(StringBuilder html, string name, string prefix, BucketObjects.Listing listing)
    {
        var path = DashboardPaths.Bucket(name);
        html.Append("<p class=\"crumbs\"><a href=\"").Append(E(path)).Append("\">").Append(E(name)).Append("</a>");
        var so = string.Empty;
        foreach (var part in prefix.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            so += part + "/";
            html.Append(" / <a href=\"").Append(E(path + "?prefix=" + Uri.EscapeDataString(so))).Append("\">").Append(E(part)).Append("</a>");
        }

        html.Append("</p><table class=\"objects\"><thead><tr><th>key</th><th>size</th><th>modified</th></tr></thead><tbody>");
        foreach (var folder in listing.Prefixes)
        {
            html.Append("<tr><td><a href=\"").Append(E(path + "?prefix=" + Uri.EscapeDataString(folder))).Append("\">").Append(E(folder[prefix.Length..])).Append("</a></td><td>—</td><td></td></tr>");
        }

        foreach (var item in listing.Objects)
        {
            html.Append("<tr><td><a class=\"download\" rel=\"noreferrer\" href=\"").Append(E(item.DownloadUrl)).Append("\">").Append(E(item.Key[prefix.Length..])).Append("</a></td><td>")
                .Append(Bytes(item.Size)).Append("</td><td>").Append(Time(item.LastModified)).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
        if (listing.Prefixes.Count == 0 && listing.Objects.Count == 0)
        {
            html.Append("<p class=\"muted\">no objects").Append(prefix.Length > 0 ? " under " + E(prefix) : string.Empty).Append("</p>");
        }

        if (listing.NextToken is { } next)
        {
            html.Append("<p><a href=\"").Append(E($"{path}?prefix={Uri.EscapeDataString(prefix)}&after={Uri.EscapeDataString(next)}")).Append("\">next ").Append(BucketObjects.PageSize).Append(" →</a></p>");
        }

        html.Append("<p class=\"note\">download links are presigned URLs to the S3 server, valid ").Append((int)BucketObjects.LinkLifetime.TotalMinutes).Append(" minutes</p>");
    }
}
