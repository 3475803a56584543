using System.Globalization;
using System.Text;

namespace Hangar.Daemon.Dashboard;

/// <summary>
/// A line chart drawn on the server as inline SVG: no script and no chart library, so a page is one request and works
/// offline. The y axis starts at zero (counts, bytes and rates are never negative); each series is one polyline.
/// </summary>
internal static class SvgChart
{
    private const int Width = 600;
    private const int Height = 180;
    private const int Left = 64;
    private const int Right = 8;
    private const int Top = 10;
    private const int Bottom = 22;
    private static readonly string[] Colors = ["#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2"];

    public static string Render(ChartSpec spec, PrometheusQueries.Answer answer, ChartRange range, DateTimeOffset now)
    {
        var html = new StringBuilder();
        html.Append("<section class=\"card chart\"><h3>").Append(DashboardHtml.E(spec.Title)).Append("</h3>");
        if (answer.Series is null)
        {
            html.Append("<p class=\"unavailable\">metrics unavailable: ").Append(DashboardHtml.E(answer.Unavailable ?? "unknown")).Append("</p>");
        }
        else if (answer.Series.All(s => s.Points.Count == 0))
        {
            html.Append("<p class=\"muted\">no data in the last ").Append(range.Name).Append("</p>");
        }
        else
        {
            Draw(html, spec, answer.Series.Where(s => s.Points.Count > 0).ToList(), range, now);
        }

        if (spec.Note is not null)
        {
            html.Append("<p class=\"note\">").Append(DashboardHtml.E(spec.Note)).Append("</p>");
        }

        return html.Append("</section>").ToString();
    }

    private static void Draw(StringBuilder html, ChartSpec spec, List<PrometheusQueries.Series> series, ChartRange range, DateTimeOffset now)
    {
        var end = now.ToUnixTimeSeconds();
        var start = end - range.Duration.TotalSeconds;
        var max = series.SelectMany(s => s.Points).Max(p => p.Value);
        var top = max <= 0 ? 1 : max * 1.1;
        var points = series.Sum(s => s.Points.Count);
        double X(double t) => Left + ((t - start) / (end - start) * (Width - Left - Right));
        double Y(double v) => Top + ((1 - (v / top)) * (Height - Top - Bottom));

        html.Append(CultureInfo.InvariantCulture, $"<svg class=\"plot\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" data-series=\"{series.Count}\" data-points=\"{points}\" aria-label=\"{DashboardHtml.E(spec.Title)}\">");
        for (var i = 0; i <= 2; i++)
        {
            var v = top * i / 2;
            var y = Y(v);
            html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" class=\"grid\"/>");
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{DashboardHtml.E(spec.Format(v))}</text>");
        }

        var format = range.Duration > TimeSpan.FromDays(1) ? "MM-dd HH:mm" : "HH:mm";
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height - 6}\">{DateTimeOffset.FromUnixTimeSeconds((long)start).ToString(format, CultureInfo.InvariantCulture)}</text>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right}\" y=\"{Height - 6}\" text-anchor=\"end\">{now.ToString(format, CultureInfo.InvariantCulture)} UTC</text>");
        for (var i = 0; i < series.Count; i++)
        {
            var color = Colors[i % Colors.Length];
            var line = string.Join(' ', series[i].Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.Time):0.#},{Y(p.Value):0.#}")));
            html.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.8\" points=\"{line}\"/>");
            if (series[i].Points.Count == 1)
            {
                var (t, v) = series[i].Points[0];
                html.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(t):0.#}\" cy=\"{Y(v):0.#}\" r=\"2.5\" fill=\"{color}\"/>");
            }
        }

        html.Append("</svg><ul class=\"legend\">");
        for (var i = 0; i < series.Count; i++)
        {
            var label = spec.SeriesLabel is { } key && series[i].Labels.TryGetValue(key, out var value) ? value : spec.Title;
            html.Append("<li><i style=\"background:").Append(Colors[i % Colors.Length]).Append("\"></i>").Append(DashboardHtml.E(label))
                .Append(" <b>").Append(DashboardHtml.E(spec.Format(series[i].Points[^1].Value))).Append("</b></li>");
        }

        html.Append("</ul>");
    }
}
