using System.CommandLine;
using Hangar.Cli.Commands.Postgres.Attach;
using Hangar.Cli.Commands.Postgres.Config;
using Hangar.Cli.Commands.Postgres.Connect;
using Hangar.Cli.Commands.Postgres.Create;
using Hangar.Cli.Commands.Postgres.Db;
using Hangar.Cli.Commands.Postgres.Destroy;
using Hangar.Cli.Commands.Postgres.Detach;
using Hangar.Cli.Commands.Postgres.Failover;
using Hangar.Cli.Commands.Postgres.Import;
using Hangar.Cli.Commands.Postgres.List;
using Hangar.Cli.Commands.Postgres.Restart;
using Hangar.Cli.Commands.Postgres.Status;
using Hangar.Cli.Commands.Postgres.Users;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres;

/// <summary>`hangar postgres ...`: flyctl's `fly postgres` verbs over Patroni-managed PostgreSQL 15 clusters.</summary>
internal static class PostgresCommand
{
    public static Command Create()
    {
        var command = new Command("postgres", "Manage Postgres clusters: PostgreSQL 15 with Patroni, a leader-following cluster port, attach to apps")
            .With(PostgresCreateCommand.Create(), PostgresListCommand.Create(), PostgresStatusCommand.Create(), PostgresAttachCommand.Create(),
                PostgresDetachCommand.Create(), PostgresConnectCommand.Create(), PostgresImportCommand.Create(), PostgresDbCommand.Create(),
                PostgresUsersCommand.Create(), PostgresFailoverCommand.Create(), PostgresRestartCommand.Create(), PostgresConfigCommand.Create(),
                PostgresDestroyCommand.Create(), Backup.PostgresBackupCommand.Create(), Dashboard.PostgresDashboardCommand.Create());
        command.Aliases.Add("pg");
        return command;
    }
}
