using System.CommandLine;
using Hangar.Cli.Commands.Volumes.Snapshots.Create;
using Hangar.Cli.Commands.Volumes.Snapshots.List;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Volumes.Snapshots;

internal static class VolumesSnapshotsCommand
{
    public static Command Create()
    {
        var snapshots = new Command("snapshots", "Manage volume snapshots").With(VolumesSnapshotsCreateCommand.Create(), VolumesSnapshotsListCommand.Create());
        snapshots.Aliases.Add("snapshot");
        return snapshots;
    }
}
