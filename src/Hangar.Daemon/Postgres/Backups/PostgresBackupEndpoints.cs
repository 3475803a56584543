using Hangar.Client.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Hangar.Daemon.Postgres.Backups;

internal static class PostgresBackupEndpoints
{
    public static void MapPostgresBackupEndpoints(this IEndpointRouteBuilder routes)
    {
        var backups = routes.MapGroup("/v1/postgres/{name}/backups").WithTags("postgres");
        backups.MapGet("/", (string name, bool? deleted, PostgresBackupService service, CancellationToken ct) => service.ListAsync(name, deleted ?? false, ct));
        backups.MapPost("/", (string name, PostgresBackupCreateRequest request, PostgresBackupService service, IHostApplicationLifetime lifetime, CancellationToken ct) =>
            service.CreateBackupAsync(name, request, lifetime.ApplicationStopping, ct));
        backups.MapPost("/enable", (string name, PostgresBackupEnableRequest request, PostgresBackupService service, CancellationToken ct) => service.EnableAsync(name, request.RetentionDays, ct));
        backups.MapPost("/disable", async (string name, PostgresBackupService service, CancellationToken ct) =>
        {
            await service.DisableAsync(name, ct);
            return TypedResults.NoContent();
        });
        backups.MapPost("/restore", async (string name, PostgresBackupRestoreRequest request, PostgresBackupService service, CancellationToken ct) =>
        {
            var created = await service.RestoreAsync(name, request, ct);
            return TypedResults.Created($"/v1/postgres/{created.Cluster.Name}", created);
        });
        backups.MapPost("/drill", (string name, PostgresBackupService service, CancellationToken ct) => service.DrillAsync(name, ct));
        backups.MapPost("/marks", (string name, PostgresBackupMarkRequest request, PostgresBackupService service, CancellationToken ct) => service.MarkAsync(name, request.Name, ct));
    }
}
