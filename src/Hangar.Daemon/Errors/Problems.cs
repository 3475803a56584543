using System.Text.Json;
using Hangar.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Hangar.Daemon.Errors;

/// <summary>Writes the API's one error shape: ProblemDetails with a stable <c>code</c>.</summary>
internal static class Problems
{
    public static Task WriteAsync(HttpContext context, string code, string detail)
    {
        var status = ErrorCodes.HttpStatus(code);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var body = new Dictionary<string, object?>
        {
            ["type"] = "https://hangar.dev/errors/" + code,
            ["title"] = code.Replace('_', ' '),
            ["status"] = status,
            ["detail"] = detail,
            ["code"] = code,
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
