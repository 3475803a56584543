using Hangar.Client.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hangar.Daemon.Apps;

internal static class AppEndpoints
{
    public static void MapAppEndpoints(this IEndpointRouteBuilder routes)
    {
        var apps = routes.MapGroup("/v1/apps").WithTags("apps");
        apps.MapGet("/", (AppService service, CancellationToken ct) => service.ListAsync(ct));
        apps.MapPost("/", async (CreateAppRequest request, AppService service, CancellationToken ct) =>
            TypedResults.Created($"/v1/apps/{request.Name}", await service.CreateAsync(request.Name, ct)));
        apps.MapDelete("/{name}", async (string name, bool? force, AppService service, CancellationToken ct) =>
        {
            await service.DestroyAsync(name, force ?? false, ct);
            return TypedResults.NoContent();
        });
    }
}
