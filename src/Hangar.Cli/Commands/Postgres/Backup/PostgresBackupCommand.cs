using System.CommandLine;
using Hangar.Cli.Commands.Postgres.Backup.Create;
using Hangar.Cli.Commands.Postgres.Backup.Disable;
using Hangar.Cli.Commands.Postgres.Backup.Drill;
using Hangar.Cli.Commands.Postgres.Backup.Enable;
using Hangar.Cli.Commands.Postgres.Backup.List;
using Hangar.Cli.Commands.Postgres.Backup.Mark;
using Hangar.Cli.Commands.Postgres.Backup.Restore;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Backup;

/// <summary>`hangar postgres backup ...`: flyctl's `fly postgres backup` verbs over pgBackRest.</summary>
internal static class PostgresBackupCommand
{
    public static Command Create() =>
        new Command("backup", "Backups and point-in-time recovery (pgBackRest into Hangar's object storage)")
            .With(PostgresBackupEnableCommand.Create(), PostgresBackupDisableCommand.Create(), PostgresBackupCreateCommand.Create(), PostgresBackupListCommand.Create(),
                PostgresBackupRestoreCommand.Create(), PostgresBackupMarkCommand.Create(), PostgresBackupDrillCommand.Create());
}
