using Microsoft.AspNetCore.Http;

namespace Hangar.Daemon.Dashboard;

/// <summary>
/// The dashboard's own door (the API's bearer middleware does not see /dashboard): a session cookie from a login with
/// the API token or a one-time link. Without a session a page is a redirect to the login page and anything else a
/// 401 — never data. Every state-changing request must carry the session's CSRF token (form field or header) and,
/// when the browser sends one, an Origin equal to the daemon's own; otherwise 403.
/// </summary>
internal sealed class DashboardAuthMiddleware(RequestDelegate next, DashboardSessions sessions)
{
    public const string Prefix = "/dashboard";
    public const string CsrfField = "_csrf";
    public const string CsrfHeader = "X-CSRF-Token";
    private const string SessionItem = "hangar.dashboard.session";

    public static DashboardSessions.Session? SessionOf(HttpContext context) => context.Items[SessionItem] as DashboardSessions.Session;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        SecurityHeaders(context.Response);
        var safe = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        if (!safe && !SameOrigin(request))
        {
            await DashboardHtml.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "Forbidden", "cross-origin request refused");
            return;
        }

        var path = request.Path.Value ?? string.Empty;
        if (path is "/dashboard/login" || path.StartsWith("/dashboard/login/", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var session = sessions.Find(request.Cookies[DashboardSessions.CookieName]);
        if (session is null)
        {
            if (safe)
            {
                context.Response.StatusCode = StatusCodes.Status303SeeOther;
                context.Response.Headers.Location = DashboardPaths.Login(request.Path + request.QueryString);
                return;
            }

            await DashboardHtml.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "Not logged in", "log in to the dashboard with the API token first");
            return;
        }

        if (!safe)
        {
            string? presented = request.Headers[CsrfHeader];
            if (presented is null && request.HasFormContentType)
            {
                presented = (await request.ReadFormAsync(context.RequestAborted))[CsrfField];
            }

            if (!DashboardSessions.CsrfMatches(session, presented))
            {
                await DashboardHtml.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "Forbidden", "missing or wrong CSRF token: reload the page and try again");
                return;
            }
        }

        context.Items[SessionItem] = session;
        await next(context);
    }

    /// <summary>Browsers send Origin on every POST; when present it must be this daemon (scheme, host and port).</summary>
    private static bool SameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private static void SecurityHeaders(HttpResponse response)
    {
        // Server-rendered pages with no script at all: the policy forbids any, so an injected tag would not run.
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on a form POST, which the origin check refuses.
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.CacheControl = "no-store";
    }
}
