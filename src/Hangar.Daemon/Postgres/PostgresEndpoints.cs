using Hangar.Client.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hangar.Daemon.Postgres;

internal static class PostgresEndpoints
{
    public static void MapPostgresEndpoints(this IEndpointRouteBuilder routes)
    {
        var postgres = routes.MapGroup("/v1/postgres").WithTags("postgres");
        postgres.MapGet("/", (PostgresService service, CancellationToken ct) => service.ListAsync(ct));
        postgres.MapPost("/", async (PostgresCreateRequest request, PostgresService service, CancellationToken ct) =>
        {
            var created = await service.CreateAsync(request, ct);
            return TypedResults.Created($"/v1/postgres/{created.Cluster.Name}", created);
        });
        postgres.MapGet("/{name}/status", (string name, PostgresService service, CancellationToken ct) => service.StatusAsync(name, ct));
        postgres.MapGet("/{name}/connect", (string name, PostgresService service, CancellationToken ct) => service.ConnectInfoAsync(name, ct));
        postgres.MapPost("/{name}/attachments", (string name, PostgresAttachRequest request, PostgresService service, CancellationToken ct) => service.AttachAsync(name, request, ct));
        postgres.MapDelete("/{name}/attachments/{app}", async (string name, string app, string? variable, PostgresService service, CancellationToken ct) =>
        {
            await service.DetachAsync(name, app, variable, ct);
            return TypedResults.NoContent();
        });
        postgres.MapGet("/{name}/databases", (string name, PostgresService service, CancellationToken ct) => service.DatabasesAsync(name, ct));
        postgres.MapPost("/{name}/databases", async (string name, PostgresDatabaseCreateRequest request, PostgresService service, CancellationToken ct) =>
        {
            await service.CreateDatabaseAsync(name, request.Name, ct);
            return TypedResults.NoContent();
        });
        postgres.MapGet("/{name}/users", (string name, PostgresService service, CancellationToken ct) => service.UsersAsync(name, ct));
        postgres.MapPost("/{name}/users", (string name, PostgresUserCreateRequest request, PostgresService service, CancellationToken ct) => service.CreateUserAsync(name, request, ct));
        postgres.MapPut("/{name}/users/{user}/role", async (string name, string user, PostgresUserRoleRequest request, PostgresService service, CancellationToken ct) =>
        {
            await service.SetUserRoleAsync(name, user, request.Role, ct);
            return TypedResults.NoContent();
        });
        postgres.MapDelete("/{name}/users/{user}", async (string name, string user, PostgresService service, CancellationToken ct) =>
        {
            await service.DeleteUserAsync(name, user, ct);
            return TypedResults.NoContent();
        });
        postgres.MapGet("/{name}/extensions", (string name, PostgresService service, CancellationToken ct) => service.ExtensionsAsync(name, ct));
        postgres.MapPost("/{name}/failover", (string name, PostgresService service, CancellationToken ct) => service.FailoverAsync(name, ct));
        postgres.MapPost("/{name}/restart", (string name, PostgresService service, CancellationToken ct) => service.RestartAsync(name, ct));
        postgres.MapGet("/{name}/config", (string name, PostgresService service, CancellationToken ct) => service.ConfigAsync(name, ct));
        postgres.MapPost("/{name}/config", (string name, PostgresConfigUpdateRequest request, PostgresService service, CancellationToken ct) => service.UpdateConfigAsync(name, request, ct));
        postgres.MapPost("/{name}/scale", (string name, PostgresScaleRequest request, PostgresService service, CancellationToken ct) => service.ScaleAsync(name, request.Count, ct));
        postgres.MapDelete("/{name}", async (string name, bool? force, bool? purgeBackups, PostgresService service, CancellationToken ct) =>
        {
            await service.DestroyAsync(name, force ?? false, purgeBackups ?? false, ct);
            return TypedResults.NoContent();
        });
    }
}
