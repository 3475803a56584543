using System.CommandLine;
using Hangar.Cli.Commands.Volumes.Create;
using Hangar.Cli.Commands.Volumes.Destroy;
using Hangar.Cli.Commands.Volumes.Extend;
using Hangar.Cli.Commands.Volumes.Fork;
using Hangar.Cli.Commands.Volumes.List;
using Hangar.Cli.Commands.Volumes.Show;
using Hangar.Cli.Commands.Volumes.Snapshots;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Volumes;

internal static class VolumesCommand
{
    public static Command Create()
    {
        var volumes = new Command("volumes", "Manage volumes: directories with a size, snapshots and forks")
            .With(VolumesCreateCommand.Create(), VolumesListCommand.Create(), VolumesShowCommand.Create(), VolumesExtendCommand.Create(),
                VolumesForkCommand.Create(), VolumesDestroyCommand.Create(), VolumesSnapshotsCommand.Create());
        volumes.Aliases.Add("volume");
        volumes.Aliases.Add("vol");
        return volumes;
    }
}
