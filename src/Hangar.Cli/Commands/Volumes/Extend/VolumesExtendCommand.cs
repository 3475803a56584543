using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Volumes.Extend;

internal static class VolumesExtendCommand
{
    public static Command Create()
    {
        var id = VolumeArguments.Id();
        var size = new Option<int>("--size", "-s") { Description = "New size in GB (larger than now, at most 500)", Required = true };
        return new Command("extend", "Make a volume larger").With(id, size, GlobalOptions.Yes).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ExtendVolumeAsync(context.Get(id), context.Get(size), ct), VolumeFormat.Show);
            return 0;
        });
    }
}
