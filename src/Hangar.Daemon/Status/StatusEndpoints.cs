using System.Reflection;
using Hangar.Client.Models;
using Hangar.Core.Resources;
using Hangar.Daemon.Hosting;
using Hangar.State;
using Hangar.Supervision;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hangar.Daemon.Status;

internal static class StatusEndpoints
{
    public static string Version { get; } =
        typeof(StatusEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static void MapStatusEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/status", async (IKeyValueStore kv, Supervisor supervisor, DaemonOptions options, DaemonClock clock, CancellationToken ct) =>
        {
            var health = await kv.HealthAsync(ct);
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            if (health.Healthy)
            {
                foreach (var (kind, prefix) in new[] { ("apps", StoreKeys.Apps), ("volumes", StoreKeys.Volumes), ("snapshots", StoreKeys.Snapshots), ("redis", RedisKeys.Prefix), ("buckets", BucketKeys.Prefix), ("postgres", PostgresKeys.Prefix) })
                {
                    counts[kind] = (await kv.ListAsync(prefix, ct)).Count;
                }
            }

            return new StatusInfo(
                Version,
                options.Region,
                options.DataDir,
                clock.StartedAt,
                new StoreInfo(health.Healthy, health.Backend, health.Version, health.Endpoints, options.EmbeddedEtcd, health.Error),
                counts,
                [.. supervisor.List().Select(p => new ProcessInfo(p.Name, p.State.ToString().ToLowerInvariant(), p.Pid, p.Ready, p.Restarts, p.Adopted, p.StartedAt, p.LastExit))],
                options.PrometheusUrl);
        }).WithTags("status");
    }
}
