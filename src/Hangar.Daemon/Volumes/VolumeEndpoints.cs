using Hangar.Client.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hangar.Daemon.Volumes;

internal static class VolumeEndpoints
{
    public static void MapVolumeEndpoints(this IEndpointRouteBuilder routes)
    {
        var volumes = routes.MapGroup("/v1/volumes").WithTags("volumes");
        volumes.MapGet("/", (string? app, VolumeService service, CancellationToken ct) => service.ListAsync(app, ct));
        volumes.MapPost("/", async (CreateVolumeRequest request, VolumeService service, CancellationToken ct) =>
        {
            var volume = await service.CreateAsync(request, ct);
            return TypedResults.Created($"/v1/volumes/{volume.Id}", volume);
        });
        volumes.MapGet("/{id}", (string id, VolumeService service, CancellationToken ct) => service.GetAsync(id, ct));
        volumes.MapPost("/{id}/extend", (string id, ExtendVolumeRequest request, VolumeService service, CancellationToken ct) => service.ExtendAsync(id, request.SizeGb, ct));
        volumes.MapPost("/{id}/fork", (string id, ForkVolumeRequest request, VolumeService service, CancellationToken ct) => service.ForkAsync(id, request.Name, ct));
        volumes.MapDelete("/{id}", async (string id, VolumeService service, CancellationToken ct) =>
        {
            await service.DestroyAsync(id, ct);
            return TypedResults.NoContent();
        });
        volumes.MapPost("/{id}/snapshots", (string id, VolumeService service, CancellationToken ct) => service.SnapshotAsync(id, scheduled: false, ct));
        volumes.MapGet("/{id}/snapshots", (string id, VolumeService service, CancellationToken ct) => service.ListSnapshotsAsync(id, ct));
    }
}
