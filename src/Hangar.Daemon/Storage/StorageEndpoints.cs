using Hangar.Client.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hangar.Daemon.Storage;

internal static class StorageEndpoints
{
    public static void MapStorageEndpoints(this IEndpointRouteBuilder routes)
    {
        var storage = routes.MapGroup("/v1/storage").WithTags("storage");
        storage.MapGet("/", (StorageService service, CancellationToken ct) => service.ListAsync(ct));
        storage.MapPost("/", async (StorageCreateRequest request, StorageService service, CancellationToken ct) =>
        {
            var created = await service.CreateAsync(request, ct);
            return TypedResults.Created($"/v1/storage/{created.Bucket.Name}", created);
        });
        storage.MapGet("/{name}", (string name, StorageService service, CancellationToken ct) => service.ShowAsync(name, ct));
        storage.MapPost("/{name}/update", (string name, StorageUpdateRequest request, StorageService service, CancellationToken ct) => service.UpdateAsync(name, request, ct));
        storage.MapDelete("/{name}", async (string name, bool? force, StorageService service, CancellationToken ct) =>
        {
            await service.DestroyAsync(name, force ?? false, ct);
            return TypedResults.NoContent();
        });

        var keys = routes.MapGroup("/v1/storage-keys").WithTags("storage");
        keys.MapGet("/", (StorageService service, CancellationToken ct) => service.ListKeysAsync(ct));
        keys.MapPost("/", async (StorageKeyCreateRequest request, StorageService service, CancellationToken ct) =>
        {
            var created = await service.CreateKeyAsync(request, ct);
            return TypedResults.Created($"/v1/storage-keys/{created.Key.Id}", created);
        });
        keys.MapDelete("/{id}", async (string id, StorageService service, CancellationToken ct) =>
        {
            await service.RevokeKeyAsync(id, ct);
            return TypedResults.NoContent();
        });
    }
}
