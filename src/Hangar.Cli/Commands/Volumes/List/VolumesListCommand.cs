using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Volumes.List;

internal static class VolumesListCommand
{
    public static Command Create()
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
}
