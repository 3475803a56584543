using Hangar.Client.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hangar.Daemon.Secrets;

internal static class SecretEndpoints
{
    public static void MapSecretEndpoints(this IEndpointRouteBuilder routes)
    {
        var secrets = routes.MapGroup("/v1/apps/{app}/secrets").WithTags("secrets");
        secrets.MapGet("/", (string app, SecretService service, CancellationToken ct) => service.ListAsync(app, ct));
        secrets.MapPost("/", (string app, SetSecretsRequest request, SecretService service, CancellationToken ct) => service.SetAsync(app, request.Values, ct));
        secrets.MapPost("/unset", (string app, UnsetSecretsRequest request, SecretService service, CancellationToken ct) => service.UnsetAsync(app, request.Keys, ct));
        secrets.MapGet("/values", (string app, SecretService service, CancellationToken ct) => service.ValuesAsync(app, ct));
    }
}
