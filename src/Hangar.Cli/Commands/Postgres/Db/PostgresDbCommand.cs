using System.CommandLine;
using Hangar.Cli.Commands.Postgres.Db.Create;
using Hangar.Cli.Commands.Postgres.Db.List;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Db;

internal static class PostgresDbCommand
{
    public static Command Create() =>
        new Command("db", "Manage databases in a cluster").With(PostgresDbListCommand.Create(), PostgresDbCreateCommand.Create());
}
