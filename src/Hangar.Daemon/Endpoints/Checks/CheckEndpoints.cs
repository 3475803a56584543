using Hangar.Client.Models;
using Hangar.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hangar.Daemon.Endpoints.Checks;

/// <summary>`hangar checks list -a NAME`: every registered <see cref="ICheckProvider"/> that knows NAME answers.</summary>
internal static class CheckEndpoints
{
    public static void MapCheckEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/checks", async (string? name, IEnumerable<ICheckProvider> providers, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(name))
            {
                throw HangarException.Invalid("name is required: which resource's checks?");
            }

            var checks = new List<CheckInfo>();
            var known = false;
            foreach (var provider in providers)
            {
                if (await provider.ChecksAsync(name, ct) is { } found)
                {
                    known = true;
                    checks.AddRange(found);
                }
            }

            return known ? checks : throw new HangarException(ErrorCodes.NotFound, $"no resource named '{name}' has checks");
        }).WithTags("checks");
    }
}
