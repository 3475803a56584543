using System.Text.Json;
using Hangar.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Errors;

/// <summary>Turns expected failures into ProblemDetails; anything unexpected is logged and answered without internals.</summary>
internal sealed partial class ProblemMiddleware(RequestDelegate next, ILogger<ProblemMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (HangarException ex) when (!context.Response.HasStarted)
        {
            await Problems.WriteAsync(context, ex.Code, ex.Message);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await Problems.WriteAsync(context, ErrorCodes.InvalidArgument, $"bad request body: {(ex.InnerException ?? ex).Message}");
        }
        catch (JsonException ex) when (!context.Response.HasStarted)
        {
            await Problems.WriteAsync(context, ErrorCodes.InvalidArgument, $"bad request body: {ex.Message}");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            Log.Unhandled(logger, context.Request.Method, context.Request.Path, ex);
            await Problems.WriteAsync(context, ErrorCodes.Internal, $"internal error: {ex.GetType().Name}; see the daemon log");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2001, LogLevel.Error, "unhandled error in {Method} {Path}")]
        public static partial void Unhandled(ILogger logger, string method, string path, Exception exception);
    }
}
