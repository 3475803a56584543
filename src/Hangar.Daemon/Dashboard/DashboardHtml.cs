using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Hangar.Daemon.Dashboard;

/// <summary>
/// The page frame (header, navigation, one stylesheet inline) and the small formatters every page shares. Every value
/// that comes from a record, a user or Prometheus goes through <see cref="E"/>.
/// </summary>
internal static class DashboardHtml
{
    private const string Style = """
        *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#0f172a;background:#f1f5f9}
        header{background:#0f172a;color:#e2e8f0;display:flex;flex-wrap:wrap;align-items:center;gap:4px 18px;padding:10px 18px}
        header a{color:#e2e8f0;text-decoration:none}header .brand{font-weight:700;font-size:16px;margin-right:8px}
        header nav{display:flex;gap:14px;flex:1}header form{margin:0}header button{background:none;border:1px solid #475569;color:#e2e8f0}
        main{max-width:1100px;margin:0 auto;padding:16px}h1{font-size:20px;margin:4px 0 12px}h2{font-size:16px;margin:18px 0 8px}h3{font-size:14px;margin:0 0 6px}
        .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}
        .card{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px 14px;overflow-x:auto}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e2e8f0;white-space:nowrap}th{font-weight:600;color:#475569;font-size:12px}
        a{color:#1d4ed8}.muted,.note{color:#64748b}.note{font-size:12px;margin:4px 0 0}
        .badge{display:inline-block;padding:0 7px;border-radius:9px;font-size:12px;background:#e2e8f0}
        .ok{background:#dcfce7;color:#166534}.warn{background:#fef9c3;color:#854d0e}.bad{background:#fee2e2;color:#991b1b}
        .unavailable{color:#92400e;background:#fef3c7;padding:6px 8px;border-radius:6px}
        .tabs{display:flex;gap:6px;margin:8px 0}.tabs a{padding:2px 10px;border-radius:12px;background:#e2e8f0;text-decoration:none;color:#0f172a}.tabs a.on{background:#0f172a;color:#fff}
        button{font:inherit;padding:5px 12px;border-radius:6px;border:1px solid #94a3b8;background:#fff;cursor:pointer}button.primary{background:#1d4ed8;color:#fff;border-color:#1d4ed8}button.danger{background:#b91c1c;color:#fff;border-color:#b91c1c}
        .actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center}.actions form{margin:0}
        svg.plot{width:100%;height:auto}svg.plot text{font-size:11px;fill:#64748b}svg.plot .grid{stroke:#e2e8f0}
        ul.legend{list-style:none;padding:0;margin:4px 0 0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px}ul.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}dt{color:#64748b}dd{margin:0;overflow-wrap:anywhere}
        .login{max-width:380px;margin:12vh auto}.login input{width:100%;padding:8px;font:inherit;margin:6px 0 10px;border:1px solid #94a3b8;border-radius:6px}
        .error{color:#991b1b}
        @media (max-width:520px){main{padding:10px}.grid{grid-template-columns:1fr}th,td{padding:4px 5px}}
        """;

    public static string E(string? value) => WebUtility.HtmlEncode(value ?? string.Empty);

    public static string Page(string title, DashboardSessions.Session? session, string body, string? refreshSeconds = null)
    {
        var html = new StringBuilder(4096 + body.Length);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        if (refreshSeconds is not null)
        {
            html.Append("<meta http-equiv=\"refresh\" content=\"").Append(refreshSeconds).Append("\">");
        }

        html.Append("<title>").Append(E(title)).Append(" · Hangar</title><style>").Append(Style).Append("</style></head><body><header><a class=\"brand\" href=\"/dashboard/\">Hangar</a>");
        if (session is not null)
        {
            html.Append("<nav><a href=\"/dashboard/\">Overview</a><a href=\"/dashboard/volumes\">Volumes</a></nav>")
                .Append("<form method=\"post\" action=\"/dashboard/logout\">").Append(Csrf(session)).Append("<button type=\"submit\">Log out</button></form>");
        }

        return html.Append("</header><main>").Append(body).Append("</main></body></html>").ToString();
    }

    public static string Csrf(DashboardSessions.Session session) =>
        $"<input type=\"hidden\" name=\"{DashboardAuthMiddleware.CsrfField}\" value=\"{E(session.Csrf)}\">";

    /// <summary>A button that posts to <paramref name="action"/> with the session's CSRF token.</summary>
    public static string PostButton(DashboardSessions.Session session, string action, string label, string css, params (string Name, string Value)[] fields)
    {
        var html = new StringBuilder("<form method=\"post\" action=\"").Append(E(action)).Append("\">").Append(Csrf(session));
        foreach (var (name, value) in fields)
        {
            html.Append("<input type=\"hidden\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append("\">");
        }

        return html.Append("<button type=\"submit\" class=\"").Append(css).Append("\">").Append(E(label)).Append("</button></form>").ToString();
    }

    public static IResult Html(string html, int status = StatusCodes.Status200OK) => Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);

    public static Task WriteErrorAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        var body = $"<div class=\"card login\"><h1>{E(title)}</h1><p class=\"error\">{E(detail)}</p><p><a href=\"/dashboard/login\">Log in</a></p></div>";
        return context.Response.WriteAsync(Page(title, null, body), context.RequestAborted);
    }

    public static string Badge(string? status)
    {
        var css = status switch
        {
            "passing" or "running" or "ready" or "created" or "streaming" or "leader" or "primary" or "ok" or "passed" => "ok",
            "warning" or "pending" or "starting" or "running drill" => "warn",
            null => string.Empty,
            _ when status.Contains("fail", StringComparison.OrdinalIgnoreCase) || status is "critical" or "stopped" or "exited" or "down" => "bad",
            _ => string.Empty,
        };
        return $"<span class=\"badge {css}\">{E(status ?? "unknown")}</span>";
    }

    public static string RangeTabs(string path, ChartRange current) =>
        "<nav class=\"tabs\">" + string.Concat(ChartRange.All.Select(r =>
            $"<a href=\"{E(path)}?range={r.Name}\"{(r == current ? " class=\"on\"" : string.Empty)}>{r.Name}</a>")) + "</nav>";

    public static string Bytes(double? bytes)
    {
        if (bytes is not { } b)
        {
            return "—";
        }

        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var i = 0;
        while (Math.Abs(b) >= 1024 && i < units.Length - 1)
        {
            b /= 1024;
            i++;
        }

        return (i == 0 ? b.ToString("0", CultureInfo.InvariantCulture) : b.ToString("0.#", CultureInfo.InvariantCulture)) + " " + units[i];
    }

    public static string Number(double value) =>
        value >= 1e6 ? string.Create(CultureInfo.InvariantCulture, $"{value / 1e6:0.#}M")
        : value >= 1e4 ? string.Create(CultureInfo.InvariantCulture, $"{value / 1e3:0.#}k")
        : value >= 100 || value == Math.Floor(value) ? value.ToString("0", CultureInfo.InvariantCulture)
        : value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Seconds(double value) => value < 1 ? string.Create(CultureInfo.InvariantCulture, $"{value * 1000:0} ms") : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} s");

    public static string Percent(double ratio) => string.Create(CultureInfo.InvariantCulture, $"{ratio * 100:0.#}%");

    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "—";
}
