using System.CommandLine;
using Hangar.Cli.Commands.Mpg.Attach;
using Hangar.Cli.Commands.Mpg.Backup;
using Hangar.Cli.Commands.Mpg.Config;
using Hangar.Cli.Commands.Mpg.Connect;
using Hangar.Cli.Commands.Mpg.Create;
using Hangar.Cli.Commands.Mpg.Databases;
using Hangar.Cli.Commands.Mpg.Destroy;
using Hangar.Cli.Commands.Mpg.Detach;
using Hangar.Cli.Commands.Mpg.Extensions;
using Hangar.Cli.Commands.Mpg.Failover;
using Hangar.Cli.Commands.Mpg.List;
using Hangar.Cli.Commands.Mpg.Proxy;
using Hangar.Cli.Commands.Mpg.Restore;
using Hangar.Cli.Commands.Mpg.Status;
using Hangar.Cli.Commands.Mpg.Users;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg;

/// <summary>`hangar mpg ...`: flyctl's `fly mpg` verbs — an HA Postgres cluster with PgBouncer pooling, plans and backups.</summary>
internal static class MpgCommand
{
    public static Command Create() =>
        new Command("mpg", "Managed Postgres: a 3-node synchronous cluster with backups and PgBouncer pooling that follows the leader")
            .With(MpgCreateCommand.Create(), MpgListCommand.Create(), MpgStatusCommand.Create(), MpgConnectCommand.Create(), MpgProxyCommand.Create(),
                MpgAttachCommand.Create(), MpgDetachCommand.Create(), MpgConfigCommand.Create(), MpgDatabasesCommand.Create(), MpgBackupCommand.Create(),
                MpgRestoreCommand.Create(), MpgFailoverCommand.Create(), MpgDestroyCommand.Create(), MpgUsersCommand.Create(), MpgExtensionsCommand.Create());
}
