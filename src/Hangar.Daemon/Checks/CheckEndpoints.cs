using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Daemon.Hosting;
using Hangar.Postgres.Checks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hangar.Daemon.Checks;

/// <summary>
/// `hangar checks list -a NAME`: every registered <see cref="ICheckProvider"/> that knows NAME answers.
/// Without a name, the platform's own checks: free space on the data dir, which etcd, the S3 server and the
/// logs share (critical below 10% free, as Fly's vm check).
/// </summary>
internal static class CheckEndpoints
{
    public const string PlatformResource = "hangar";

    public static void MapCheckEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/checks", async (string? name, IEnumerable<ICheckProvider> providers, DataDirectory data, TimeProvider time, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(name))
            {
                var disk = VmCheck.Disk(data.Root);
                return [new CheckInfo(disk.Name, disk.Status.ToString().ToLowerInvariant(), disk.Output, PlatformResource, time.GetUtcNow())];
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
