using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Volumes.Snapshots.List;

internal static class VolumesSnapshotsListCommand
{
    public static Command Create()
    {
        var id = VolumeArguments.Id();
        var list = new Command("list", "List a volume's snapshots").With(id).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListSnapshotsAsync(context.Get(id), ct), VolumeFormat.Snapshots);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }
}
