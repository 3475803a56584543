using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Volumes;

internal static class VolumesCommand
{
    public static Command Create()
    {
        var volumes = new Command("volumes", "Manage volumes: directories with a size, snapshots and forks")
            .With(CreateCommand(), List(), Show(), Extend(), Fork(), Destroy(), Snapshots());
        volumes.Aliases.Add("volume");
        volumes.Aliases.Add("vol");
        return volumes;
    }

    private static Command CreateCommand()
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

    private static Command List()
    {
        var app = GlobalOptions.App(required: false);
        var list = new Command("list", "List volumes").With(app).Runs(async (context, ct) =>
        {
            var all = await context.Client.ListVolumesAsync(context.Get(app), ct);
            context.Out.Write(all, VolumeFormat.Table);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "Volume id (vol_...)" };
        return new Command("show", "Show a volume").With(id).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.GetVolumeAsync(context.Get(id), ct), VolumeFormat.Show);
            return 0;
        });
    }

    private static Command Extend()
    {
        var id = new Argument<string>("id") { Description = "Volume id (vol_...)" };
        var size = new Option<int>("--size", "-s") { Description = "New size in GB (larger than now, at most 500)", Required = true };
        return new Command("extend", "Make a volume larger").With(id, size, GlobalOptions.Yes).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ExtendVolumeAsync(context.Get(id), context.Get(size), ct), VolumeFormat.Show);
            return 0;
        });
    }

    private static Command Fork()
    {
        var id = new Argument<string>("id") { Description = "Volume id to copy (vol_...)" };
        var name = new Option<string>("--name") { Description = "Name of the new volume (default: the source's)" };
        return new Command("fork", "Create a new volume with a copy of another's data").With(id, name).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ForkVolumeAsync(context.Get(id), context.Get(name), ct), VolumeFormat.Show);
            return 0;
        });
    }

    private static Command Destroy()
    {
        var id = new Argument<string>("id") { Description = "Volume id (vol_...)" };
        return new Command("destroy", "Destroy a volume and its data").With(id, GlobalOptions.Yes).Runs(async (context, ct) =>
        {
            var volume = context.Get(id);
            context.Confirm(context.Get(GlobalOptions.Yes), $"Destroy volume {volume} and all its data?", $"not destroying volume {volume} without confirmation");
            await context.Client.DestroyVolumeAsync(volume, ct);
            context.Out.Write(new { destroyed = volume }, _ => Output.Line($"Destroyed volume {volume}"));
            return 0;
        });
    }

    private static Command Snapshots()
    {
        var createId = new Argument<string>("id") { Description = "Volume id (vol_...)" };
        var create = new Command("create", "Take a snapshot of a volume now").With(createId).Runs(async (context, ct) =>
        {
            var snapshot = await context.Client.CreateSnapshotAsync(context.Get(createId), ct);
            context.Out.Write(snapshot, s => Output.Line($"Snapshot {s.Id} of volume {s.VolumeId} created ({Output.Bytes(s.SizeBytes)}, sha256 {s.Sha256})"));
            return 0;
        });
        var listId = new Argument<string>("id") { Description = "Volume id (vol_...)" };
        var list = new Command("list", "List a volume's snapshots").With(listId).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListSnapshotsAsync(context.Get(listId), ct), VolumeFormat.Snapshots);
            return 0;
        });
        list.Aliases.Add("ls");
        var snapshots = new Command("snapshots", "Manage volume snapshots").With(create, list);
        snapshots.Aliases.Add("snapshot");
        return snapshots;
    }
}
