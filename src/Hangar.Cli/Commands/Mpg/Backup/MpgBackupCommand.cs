using System.CommandLine;
using Hangar.Cli.Commands.Mpg.Backup.Create;
using Hangar.Cli.Commands.Mpg.Backup.List;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Backup;

/// <summary>`hangar mpg backup ...`: the cluster's pgBackRest backups (on from the start for every plan).</summary>
internal static class MpgBackupCommand
{
    public static Command Create() =>
        new Command("backup", "List and take backups of a managed cluster").With(MpgBackupListCommand.Create(), MpgBackupCreateCommand.Create());
}
