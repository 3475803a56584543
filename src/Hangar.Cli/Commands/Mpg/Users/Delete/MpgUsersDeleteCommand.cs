using System.CommandLine;
using Hangar.Cli.Commands.Postgres;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Users.Delete;

internal static class MpgUsersDeleteCommand
{
    public static Command Create()
    {
        var cluster = PostgresArguments.Cluster();
        var username = MpgArguments.Username();
        return new Command("delete", "Delete a user (what it owns goes to postgres)").With(cluster, username, GlobalOptions.Yes).Runs(async (context, ct) =>
        {
            var name = context.Get(cluster);
            var user = context.Get(username);
            context.Confirm(context.Get(GlobalOptions.Yes), $"Delete user {user} from cluster {name}?", $"not deleting user {user} without confirmation (--yes)");
            await context.Client.DeletePostgresUserAsync(name, user, ct);
            context.Out.Write(new { cluster = name, deleted = user }, _ => Output.Line($"User {user} deleted successfully from cluster {name}"));
            return 0;
        });
    }
}
