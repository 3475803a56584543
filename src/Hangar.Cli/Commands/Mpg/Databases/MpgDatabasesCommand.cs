using System.CommandLine;
using Hangar.Cli.Commands.Mpg.Databases.Create;
using Hangar.Cli.Commands.Mpg.Databases.List;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Databases;

internal static class MpgDatabasesCommand
{
    public static Command Create()
    {
        var command = new Command("databases", "List and create databases of a managed cluster").With(MpgDatabasesListCommand.Create(), MpgDatabasesCreateCommand.Create());
        command.Aliases.Add("db");
        return command;
    }
}
