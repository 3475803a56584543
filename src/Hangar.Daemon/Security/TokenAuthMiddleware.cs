using Hangar.Core.Errors;
using Hangar.Daemon.Errors;
using Microsoft.AspNetCore.Http;

namespace Hangar.Daemon.Security;

/// <summary>
/// Every route needs "Authorization: Bearer TOKEN"; anything else is a 401 ProblemDetails. The scrape routes
/// (/metrics and the service discovery) also take the read-only metrics token.
/// </summary>
internal sealed class TokenAuthMiddleware(RequestDelegate next, ApiToken token, Metrics.MetricsToken metricsToken)
{
    public Task InvokeAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var presented = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
        if (token.Matches(presented) || (Metrics.MetricsEndpoints.IsScrapeRoute(context.Request.Path) && metricsToken.Matches(presented)))
        {
            return next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.WriteAsync(context, ErrorCodes.Unauthorized,
            presented is null ? "missing API token: send 'Authorization: Bearer TOKEN' (see `hangar auth token`)" : "invalid API token");
    }
}
