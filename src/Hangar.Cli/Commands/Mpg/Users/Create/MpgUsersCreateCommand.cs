using System.CommandLine;
using Hangar.Cli.Commands.Postgres;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Mpg.Users.Create;

internal static class MpgUsersCreateCommand
{
    public static Command Create()
    {
        var cluster = PostgresArguments.Cluster();
        var username = MpgArguments.Username();
        var role = MpgArguments.Role();
        return new Command("create", "Create a user with a role and print its password (shown once)").With(cluster, username, role).Runs(async (context, ct) =>
        {
            var created = await context.Client.CreatePostgresUserAsync(context.Get(cluster), new PostgresUserCreateRequest(context.Get(username), context.Get(role)), ct);
            context.Out.Write(created, c =>
            {
                Output.Line("User created successfully!");
                Output.Line($"  Name:     {c.Username}");
                Output.Line($"  Role:     {c.Role}");
                Output.Line($"  Password: {c.Password}");
                Output.Line($"  Connection string: {c.ConnectionString}");
                Output.Line("Save the password in a secure place -- you won't be able to see it again!");
            });
            return 0;
        });
    }
}
