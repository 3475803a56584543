using System.CommandLine;
using Hangar.Cli.Commands.Mpg.Extensions;
using Hangar.Cli.Commands.Mpg.Users;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg;

/// <summary>`hangar mpg ...`: flyctl's `fly mpg` verbs over Hangar's Postgres clusters.</summary>
internal static class MpgCommand
{
    public static Command Create() =>
        new Command("mpg", "Managed Postgres: users with roles, extensions").With(MpgUsersCommand.Create(), MpgExtensionsCommand.Create());
}
