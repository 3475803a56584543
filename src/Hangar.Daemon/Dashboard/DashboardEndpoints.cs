using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Daemon.Postgres;
using Hangar.Daemon.Redis;
using Hangar.Daemon.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Hangar.Daemon.Dashboard.DashboardHtml;

namespace Hangar.Daemon.Dashboard;

/// <summary>
/// The dashboard's routes under /dashboard (behind <see cref="DashboardAuthMiddleware"/>), and the API route
/// `hangar dashboard` uses to get a one-time login link (behind the bearer token like every /v1 route).
/// </summary>
internal static class DashboardEndpoints
{
    public static void MapDashboardEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/dashboard/links", LinkAsync).WithTags("dashboard");

        var d = routes.MapGroup(DashboardAuthMiddleware.Prefix).ExcludeFromDescription();
        d.MapGet("/login", (HttpContext context, DashboardSessions sessions, string? next) =>
            sessions.Find(context.Request.Cookies[DashboardSessions.CookieName]) is not null
                ? Results.Redirect(DashboardPaths.IsLocal(next) ? next! : DashboardPaths.Overview)
                : Html(LoginPage.Render(next, null)));
        d.MapPost("/login", async (HttpContext context, DashboardSessions sessions) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            string? next = form["next"];
            if (sessions.LoginWithToken(form["token"]) is not { } login)
            {
                return Html(LoginPage.Render(next, "invalid API token"), StatusCodes.Status401Unauthorized);
            }

            SetCookie(context, login.Id);
            return Results.Redirect(DashboardPaths.IsLocal(next) ? next! : DashboardPaths.Overview);
        });
        d.MapGet("/login/{code}", (string code, string? next, HttpContext context, DashboardSessions sessions) =>
        {
            if (sessions.LoginWithCode(code) is not { } login)
            {
                return Html(LoginPage.Render(next, "this login link was used already or has expired: run `hangar dashboard` again, or log in with the API token"), StatusCodes.Status401Unauthorized);
            }

            SetCookie(context, login.Id);
            return Html(LoginPage.Continue(DashboardPaths.IsLocal(next) ? next! : DashboardPaths.Overview));
        });
        d.MapPost("/logout", (HttpContext context, DashboardSessions sessions) =>
        {
            sessions.End(context.Request.Cookies[DashboardSessions.CookieName]);
            context.Response.Cookies.Delete(DashboardSessions.CookieName, new CookieOptions { Path = DashboardAuthMiddleware.Prefix });
            return Results.Redirect("/dashboard/login");
        });

        d.MapGet("/", (HttpContext c, OverviewPage page, CancellationToken ct) => RenderAsync(c, s => page.RenderAsync(s, ct)));
        d.MapGet("/volumes", (HttpContext c, VolumesPage page, CancellationToken ct) => RenderAsync(c, s => page.RenderAsync(s, ct)));
        d.MapGet("/postgres/{name}", (string name, string? range, HttpContext c, PostgresPage page, CancellationToken ct) =>
            RenderAsync(c, s => page.RenderAsync(name, ChartRange.Parse(range), s, ct)));
        d.MapGet("/redis/{name}", (string name, string? range, HttpContext c, RedisPage page, CancellationToken ct) =>
            RenderAsync(c, s => page.RenderAsync(name, ChartRange.Parse(range), s, ct)));
        d.MapGet("/storage/{name}", (string name, string? range, string? prefix, string? after, HttpContext c, BucketPage page, CancellationToken ct) =>
            RenderAsync(c, s => page.RenderAsync(name, ChartRange.Parse(range), prefix ?? string.Empty, after, s, ct)));

        d.MapPost("/postgres/{name}/drill", (string name, HttpContext c, PostgresService postgres, DashboardOperations operations, CancellationToken ct) =>
            OperateAsync(c, name, DashboardOperations.Drill, postgres, operations, ct));
        d.MapPost("/postgres/{name}/failover", (string name, HttpContext c, PostgresService postgres, DashboardOperations operations, CancellationToken ct) =>
            OperateAsync(c, name, DashboardOperations.Failover, postgres, operations, ct));
        d.MapPost("/postgres/{name}/restart", (string name, HttpContext c, PostgresService postgres, DashboardOperations operations, CancellationToken ct) =>
            OperateAsync(c, name, DashboardOperations.Restart, postgres, operations, ct));
    }

    private static async Task<IResult> RenderAsync(HttpContext context, Func<DashboardSessions.Session, Task<string>> render)
    {
        var session = DashboardAuthMiddleware.SessionOf(context)!;
        try
        {
            return Html(await render(session));
        }
        catch (HangarException ex)
        {
            return ErrorPage(session, ex);
        }
    }

    /// <summary>A drill starts at once; failover and restart first answer a page that asks to confirm, and start on its "yes".</summary>
    private static async Task<IResult> OperateAsync(HttpContext context, string name, string kind, PostgresService postgres, DashboardOperations operations, CancellationToken cancellationToken)
    {
        var session = DashboardAuthMiddleware.SessionOf(context)!;
        if (await postgres.FindAsync(name, cancellationToken) is null)
        {
            return ErrorPage(session, HangarException.NotFound("postgres cluster", name));
        }

        var path = DashboardPaths.Postgres(name);
        var form = await context.Request.ReadFormAsync(cancellationToken);
        if (kind != DashboardOperations.Drill && form["confirm"] != "yes")
        {
            var question = kind == DashboardOperations.Failover
                ? "Hand leadership to the healthiest replica? Connections to the current leader are closed."
                : "Restart every node, one at a time (replicas, a switchover, then the old leader)?";
            return Html(Page("Confirm", session,
                $"<div class=\"card login\"><h1>{(kind == DashboardOperations.Failover ? "Fail over" : "Restart")} {E(name)}?</h1><p>{E(question)}</p><div class=\"actions\">"
                + PostButton(session, $"{path}/{kind}", kind == DashboardOperations.Failover ? "Yes, fail over" : "Yes, restart", "danger", ("confirm", "yes"))
                + $"<a href=\"{E(path)}\">Cancel</a></div></div>"));
        }

        if (!operations.TryStart(name, kind))
        {
            return Html(Page("Busy", session, $"<div class=\"card login\"><h1>Busy</h1><p>another operation of {E(name)} is still running.</p><p><a href=\"{E(path)}\">Back</a></p></div>"), StatusCodes.Status409Conflict);
        }

        return Results.Redirect(path, permanent: false, preserveMethod: false);
    }

    private static IResult ErrorPage(DashboardSessions.Session session, HangarException ex) =>
        Html(Page("Error", session, $"<div class=\"card\"><h1>{E(ex.Code == ErrorCodes.NotFound ? "Not found" : "Error")}</h1><p class=\"error\">{E(ex.Message)}</p><p><a href=\"/dashboard/\">Overview</a></p></div>"),
            ErrorCodes.HttpStatus(ex.Code));

    private static void SetCookie(HttpContext context, string id) =>
        context.Response.Cookies.Append(DashboardSessions.CookieName, id, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = DashboardAuthMiddleware.Prefix,
            MaxAge = DashboardSessions.SessionLifetime,
        });

    /// <summary>POST /v1/dashboard/links: the dashboard's URL (or one resource's page) and a one-time login link to it.</summary>
    private static async Task<IResult> LinkAsync(Client.Models.DashboardLinkRequest request, HttpContext context, DashboardSessions sessions, PostgresService postgres, RedisService redis, StorageService storage, CancellationToken cancellationToken)
    {
        string path;
        switch (request.Kind)
        {
            case null or "":
                path = DashboardPaths.Overview;
                break;
            case "postgres":
                path = await postgres.FindAsync(request.Name ?? string.Empty, cancellationToken) is not null ? DashboardPaths.Postgres(request.Name!) : throw HangarException.NotFound("postgres cluster", request.Name ?? string.Empty);
                break;
            case "redis":
                await redis.StatusAsync(request.Name ?? string.Empty, cancellationToken);
                path = DashboardPaths.Redis(request.Name!);
                break;
            case "storage":
                if (BackupKeys.IsSystemBucket(request.Name ?? string.Empty))
                {
                    throw HangarException.NotFound("bucket", request.Name!);
                }

                await storage.ShowAsync(request.Name ?? string.Empty, cancellationToken);
                path = DashboardPaths.Bucket(request.Name!);
                break;
            default:
                throw HangarException.Invalid($"invalid dashboard kind '{request.Kind}': expected postgres, redis or storage");
        }

        var origin = $"{context.Request.Scheme}://{context.Request.Host}";
        var code = sessions.NewCode();
        return Results.Ok(new Client.Models.DashboardLink(origin + path, origin + DashboardPaths.LoginCode(code, path), DateTimeOffset.UtcNow + DashboardSessions.CodeLifetime));
    }
}
