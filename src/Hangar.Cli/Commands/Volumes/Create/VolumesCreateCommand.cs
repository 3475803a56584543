using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Volumes.Create;

internal static class VolumesCreateCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Volume name" };
        var size = new Option<int?>("--size", "-s") { Description = "Size in GB (1-500; default 1, or the snapshot's size)" };
        var region = new Option<string>("--region", "-r") { Description = "Region (default: the daemon's)" };
        var app = GlobalOptions.App(required: false);
        var snapshot = new Option<string>("--snapshot-id") { Description = "Restore this snapshot into the new volume" };
        var retention = new Option<int?>("--snapshot-retention") { Description = "Days to keep snapshots (1-60, default 5)" };
        var scheduled = new Option<bool?>("--scheduled-snapshots") { Description = "Take a snapshot every day (default true)" };
        var threshold = new Option<int?>("--auto-extend-threshold") { Description = "Percent used that triggers an extension (1-99)" };
        var increment = new Option<int?>("--auto-extend-increment") { Description = "GB added per extension" };
        var limit = new Option<int?>("--auto-extend-limit") { Description = "Largest size in GB auto-extension may reach" };
        return new Command("create", "Create a volume").With(name, size, region, app, snapshot, retention, scheduled, threshold, increment, limit, GlobalOptions.Yes)
            .Runs(async (context, ct) =>
            {
                var volume = await context.Client.CreateVolumeAsync(new CreateVolumeRequest
                {
                    Name = context.Get(name),
                    SizeGb = context.Get(size),
                    Region = context.Get(region),
                    App = context.Get(app),
                    SnapshotId = context.Get(snapshot),
                    SnapshotRetention = context.Get(retention),
                    ScheduledSnapshots = context.Get(scheduled),
                    AutoExtendThreshold = context.Get(threshold),
                    AutoExtendIncrement = context.Get(increment),
                    AutoExtendLimit = context.Get(limit),
                }, ct);
                context.Out.Write(volume, VolumeFormat.Show);
                return 0;
            });
    }
}
