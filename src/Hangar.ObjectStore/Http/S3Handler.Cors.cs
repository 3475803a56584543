using Hangar.ObjectStore.Buckets;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Http;

internal sealed partial class S3Handler
{
    private Task GetCorsAsync(S3Request s3)
    {
        if (s3.Bucket!.CorsXml is null)
        {
            return s3.ErrorAsync("NoSuchCORSConfiguration", "The CORS configuration does not exist");
        }
        return Xml.WriteAsync(s3.Context, new System.Text.StringBuilder(s3.Bucket.CorsXml));
    }

    private async Task PutCorsAsync(S3Request s3)
    {
        var doc = await ReadXmlAsync(s3, 64 * 1024);
        var xml = doc?.ToString(System.Xml.Linq.SaveOptions.DisableFormatting);
        if (xml is null || CorsXml.Parse(xml) is null)
        {
            await s3.ErrorAsync("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
            return;
        }
        stores.Catalog.UpdateBucket(s3.Bucket!.Name, b => b with { CorsXml = xml });
    }

    private Task DeleteCorsAsync(S3Request s3)
    {
        stores.Catalog.UpdateBucket(s3.Bucket!.Name, b => b with { CorsXml = null });
        s3.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static Task PreflightAsync(S3Request s3)
    {
        var origin = s3.Request.Headers.Origin.ToString();
        var method = s3.Request.Headers.AccessControlRequestMethod.ToString();
        if (s3.Bucket is null)
        {
            return s3.ErrorAsync("NoSuchBucket", "The specified bucket does not exist.");
        }
        if (origin.Length == 0 || method.Length == 0)
        {
            return s3.ErrorAsync("BadRequest", "Insufficient information. Origin request header needed.");
        }
        var requested = s3.Request.Headers.AccessControlRequestHeaders.ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var rule in s3.Bucket.CorsRules)
        {
            if (!rule.MatchesOrigin(origin) || !rule.AllowedMethods.Contains(method, StringComparer.Ordinal)
                || !requested.All(rule.AllowsHeader))
            {
                continue;
            }
            var headers = s3.Response.Headers;
            headers.AccessControlAllowOrigin = rule.AllowedOrigins.Contains("*") ? "*" : origin;
            headers.AccessControlAllowMethods = string.Join(", ", rule.AllowedMethods);
            if (requested.Length > 0)
            {
                headers.AccessControlAllowHeaders = string.Join(", ", requested);
            }
            if (rule.ExposeHeaders.Length > 0)
            {
                headers.AccessControlExposeHeaders = string.Join(", ", rule.ExposeHeaders);
            }
            if (rule.MaxAgeSeconds is { } maxAge)
            {
                headers.AccessControlMaxAge = maxAge.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            headers.Vary = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
            return Task.CompletedTask;
        }
        return s3.ErrorAsync("AccessForbidden", "CORSResponse: This CORS request is not allowed.");
    }

    /// <summary>Adds CORS headers to an actual (non-preflight) request whose Origin a rule allows.</summary>
    private static void ApplyCorsHeaders(S3Request s3)
    {
        if (s3.Bucket!.CorsRules.Length == 0)
        {
            return;
        }
        var origin = s3.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return;
        }
        var method = s3.Request.Method;
        foreach (var rule in s3.Bucket.CorsRules)
        {
            if (rule.MatchesOrigin(origin) && rule.AllowedMethods.Contains(method, StringComparer.Ordinal))
            {
                var headers = s3.Response.Headers;
                headers.AccessControlAllowOrigin = rule.AllowedOrigins.Contains("*") ? "*" : origin;
                headers.AccessControlAllowMethods = string.Join(", ", rule.AllowedMethods);
                if (rule.ExposeHeaders.Length > 0)
                {
                    headers.AccessControlExposeHeaders = string.Join(", ", rule.ExposeHeaders);
                }
                headers.Vary = "Origin";
                return;
            }
        }
    }
}
