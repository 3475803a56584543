using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Volumes.Fork;

internal static class VolumesForkCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "Volume id to copy (vol_...)" };
        var name = new Option<string>("--name") { Description = "Name of the new volume (default: the source's)" };
        return new Command("fork", "Create a new volume with a copy of another's data").With(id, name).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ForkVolumeAsync(context.Get(id), context.Get(name), ct), VolumeFormat.Show);
            return 0;
        });
    }
}
