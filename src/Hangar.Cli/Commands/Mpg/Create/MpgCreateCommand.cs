using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Mpg.Create;

/// <summary>`hangar mpg create`: the plan sizes the cluster and its pool; prints the credentials once.</summary>
internal static class MpgCreateCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name", "-n") { Description = "Cluster name", Required = true };
        var plan = new Option<string>("--plan") { Description = "development, basic (default), starter, launch, scale or performance" };
        var region = new Option<string>("--region", "-r") { Description = "Region (default: the daemon's)" };
        var volume = new Option<int?>("--volume-size") { Description = "Volume size per node in GB (1-500; default the plan's)" };
        var postgis = new Option<bool>("--enable-postgis-support") { Description = "Create PostGIS in each app database" };
        return new Command("create", "Create a managed Postgres cluster with a connection pool").With(name, plan, region, volume, postgis).Runs(async (context, ct) =>
        {
            var created = await context.Client.CreateMpgAsync(new MpgCreateRequest
            {
                Name = context.Get(name),
                Plan = context.Get(plan),
                Region = context.Get(region),
                VolumeSizeGb = context.Get(volume),
                EnablePostgis = context.Get(postgis),
            }, ct);
            context.Out.Write(created, MpgFormat.Created);
            return 0;
        });
    }
}
