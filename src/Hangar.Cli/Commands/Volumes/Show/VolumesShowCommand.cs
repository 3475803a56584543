using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Volumes.Show;

internal static class VolumesShowCommand
{
    public static Command Create()
    {
        var id = VolumeArguments.Id();
        return new Command("show", "Show a volume").With(id).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.GetVolumeAsync(context.Get(id), ct), VolumeFormat.Show);
            return 0;
        });
    }
}
