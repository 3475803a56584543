using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Volumes.Destroy;

internal static class VolumesDestroyCommand
{
    public static Command Create()
    {
        var id = VolumeArguments.Id();
        return new Command("destroy", "Destroy a volume and its data").With(id, GlobalOptions.Yes).Runs(async (context, ct) =>
        {
            var volume = context.Get(id);
            context.Confirm(context.Get(GlobalOptions.Yes), $"Destroy volume {volume} and all its data?", $"not destroying volume {volume} without confirmation");
            await context.Client.DestroyVolumeAsync(volume, ct);
            context.Out.Write(new { destroyed = volume }, _ => Output.Line($"Destroyed volume {volume}"));
            return 0;
        });
    }
}
