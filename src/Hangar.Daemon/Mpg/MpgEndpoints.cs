using Hangar.Client.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hangar.Daemon.Mpg;

/// <summary>/v1/mpg: what only a managed cluster has. Databases and backups are the Postgres routes of the same name.</summary>
internal static class MpgEndpoints
{
    public static void MapMpgEndpoints(this IEndpointRouteBuilder routes)
    {
        var mpg = routes.MapGroup("/v1/mpg").WithTags("mpg");
        mpg.MapGet("/", (MpgService service, CancellationToken ct) => service.ListAsync(ct));
        mpg.MapPost("/", async (MpgCreateRequest request, MpgService service, CancellationToken ct) =>
        {
            var created = await service.CreateAsync(request, ct);
            return TypedResults.Created($"/v1/mpg/{created.Cluster.Name}", created);
        });
        mpg.MapGet("/{name}/status", (string name, MpgService service, CancellationToken ct) => service.StatusAsync(name, ct));
        mpg.MapGet("/{name}/connect", (string name, MpgService service, CancellationToken ct) => service.ConnectInfoAsync(name, ct));
        mpg.MapPost("/{name}/attachments", (string name, MpgAttachRequest request, MpgService service, CancellationToken ct) => service.AttachAsync(name, request, ct));
        mpg.MapDelete("/{name}/attachments/{app}", async (string name, string app, string? variable, MpgService service, CancellationToken ct) =>
        {
            await service.DetachAsync(name, app, variable, ct);
            return TypedResults.NoContent();
        });
        mpg.MapGet("/{name}/config", (string name, MpgService service, CancellationToken ct) => service.ConfigAsync(name, ct));
        mpg.MapPost("/{name}/config", (string name, MpgConfigUpdateRequest request, MpgService service, CancellationToken ct) => service.UpdateConfigAsync(name, request, ct));
        mpg.MapPost("/{name}/failover", (string name, MpgService service, CancellationToken ct) => service.FailoverAsync(name, ct));
        mpg.MapPost("/{name}/restore", async (string name, MpgRestoreRequest request, MpgService service, CancellationToken ct) =>
        {
            var created = await service.RestoreAsync(name, request, ct);
            return TypedResults.Created($"/v1/mpg/{created.Cluster.Name}", created);
        });
        mpg.MapDelete("/{name}", async (string name, MpgService service, CancellationToken ct) =>
        {
            await service.DestroyAsync(name, ct);
            return TypedResults.NoContent();
        });
    }
}
