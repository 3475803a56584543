using Hangar.Client.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hangar.Daemon.Redis;

internal static class RedisEndpoints
{
    public static void MapRedisEndpoints(this IEndpointRouteBuilder routes)
    {
        var redis = routes.MapGroup("/v1/redis").WithTags("redis");
        redis.MapGet("/", (RedisService service, CancellationToken ct) => service.ListAsync(ct));
        redis.MapPost("/", async (RedisCreateRequest request, RedisService service, CancellationToken ct) =>
        {
            var created = await service.CreateAsync(request, ct);
            return TypedResults.Created($"/v1/redis/{created.Instance.Name}", created);
        });
        redis.MapGet("/{name}/status", (string name, RedisService service, CancellationToken ct) => service.StatusAsync(name, ct));
        redis.MapGet("/{name}/credentials", (string name, RedisService service, CancellationToken ct) => service.CredentialsAsync(name, ct));
        redis.MapPost("/{name}/update", (string name, RedisUpdateRequest request, RedisService service, CancellationToken ct) => service.UpdateAsync(name, request, ct));
        redis.MapPost("/{name}/attachments", async (string name, RedisAttachRequest request, RedisService service, CancellationToken ct) =>
        {
            await service.AttachAsync(name, request, ct);
            return TypedResults.NoContent();
        });
        redis.MapDelete("/{name}/attachments/{app}", async (string name, string app, RedisService service, CancellationToken ct) =>
        {
            await service.DetachAsync(name, app, ct);
            return TypedResults.NoContent();
        });
        redis.MapDelete("/{name}", async (string name, bool? force, RedisService service, CancellationToken ct) =>
        {
            await service.DestroyAsync(name, force ?? false, ct);
            return TypedResults.NoContent();
        });
    }
}
