using System.CommandLine;
using Hangar.Cli.Commands.Postgres.Config.Show;
using Hangar.Cli.Commands.Postgres.Config.Update;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Config;

internal static class PostgresConfigCommand
{
    public static Command Create() =>
        new Command("config", "Show or change a cluster's PostgreSQL parameters").With(PostgresConfigShowCommand.Create(), PostgresConfigUpdateCommand.Create());
}
