using System.CommandLine;
using Hangar.Cli.Commands.Mpg.Users.Create;
using Hangar.Cli.Commands.Mpg.Users.Delete;
using Hangar.Cli.Commands.Mpg.Users.List;
using Hangar.Cli.Commands.Mpg.Users.SetRole;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Users;

internal static class MpgUsersCommand
{
    public static Command Create() =>
        new Command("users", "Manage a cluster's users and their roles (schema_admin, writer, reader)")
            .With(MpgUsersListCommand.Create(), MpgUsersCreateCommand.Create(), MpgUsersSetRoleCommand.Create(), MpgUsersDeleteCommand.Create());
}
