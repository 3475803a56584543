using static Hangar.Daemon.Dashboard.DashboardHtml;

namespace Hangar.Daemon.Dashboard;

internal static class LoginPage
{
    public static string Render(string? next, string? error) =>
        Page("Log in", null,
            "<div class=\"card login\"><h1>Log in to Hangar</h1>"
            + (error is null ? string.Empty : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")
            + "<form method=\"post\" action=\"/dashboard/login\"><label for=\"token\">API token</label>"
            + "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required autofocus>"
            + (DashboardPaths.IsLocal(next) ? $"<input type=\"hidden\" name=\"next\" value=\"{E(next)}\">" : string.Empty)
            + "<button type=\"submit\" class=\"primary\">Log in</button></form>"
            + "<p class=\"note\">The token is the one <code>hangar auth token</code> prints; <code>hangar dashboard</code> prints a one-time login link instead.</p></div>");

    /// <summary>After a one-time link: a same-site step to the page, so the SameSite=Strict cookie goes with it even when the link came from another site.</summary>
    public static string Continue(string next) =>
        Page("Logged in", null, $"<div class=\"card login\"><h1>Logged in</h1><p><a href=\"{E(next)}\">Continue</a></p></div>", "0;url=" + E(next));
}
