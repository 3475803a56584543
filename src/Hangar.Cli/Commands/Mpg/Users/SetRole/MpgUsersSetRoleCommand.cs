using System.CommandLine;
using Hangar.Cli.Commands.Postgres;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Users.SetRole;

internal static class MpgUsersSetRoleCommand
{
    public static Command Create()
    {
        var cluster = PostgresArguments.Cluster();
        var username = MpgArguments.Username();
        var role = MpgArguments.Role();
        return new Command("set-role", "Give a user another role").With(cluster, username, role).Runs(async (context, ct) =>
        {
            var name = context.Get(cluster);
            var user = context.Get(username);
            var newRole = context.Get(role);
            await context.Client.SetPostgresUserRoleAsync(name, user, newRole, ct);
            context.Out.Write(new { cluster = name, username = user, role = newRole }, _ =>
            {
                Output.Line("User role updated successfully!");
                Output.Line($"  Name: {user}");
                Output.Line($"  Role: {newRole}");
            });
            return 0;
        });
    }
}
