using Hangar.Client.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hangar.Daemon.Sqlite;

internal static class SqliteEndpoints
{
    public static void MapSqliteEndpoints(this IEndpointRouteBuilder routes)
    {
        var sqlite = routes.MapGroup("/v1/sqlite").WithTags("sqlite");
        sqlite.MapGet("/", (SqliteService service, CancellationToken ct) => service.ListAsync(ct));
        sqlite.MapPost("/", async (SqliteReplicateRequest request, SqliteService service, CancellationToken ct) =>
        {
            var replicating = await service.ReplicateAsync(request, ct);
            return TypedResults.Created($"/v1/sqlite/{replicating.Name}", replicating);
        });
        sqlite.MapGet("/{name}/status", (string name, SqliteService service, CancellationToken ct) => service.StatusAsync(name, ct));
        sqlite.MapPost("/{name}/stop", (string name, SqliteService service, CancellationToken ct) => service.StopAsync(name, ct));
        sqlite.MapPost("/{name}/restore", (string name, SqliteRestoreRequest request, SqliteService service, CancellationToken ct) => service.RestoreAsync(name, request, ct));
        sqlite.MapGet("/{name}/exec", (string name, string app, SqliteService service, CancellationToken ct) => service.ExecPlanAsync(name, app, ct));
        sqlite.MapPost("/{name}/drill", (string name, SqliteService service, CancellationToken ct) => service.DrillAsync(name, ct));
        routes.MapGet("/v1/sqlite-config/{app}", (string app, SqliteService service, CancellationToken ct) => service.ConfigAsync(app, ct)).WithTags("sqlite");
    }
}
