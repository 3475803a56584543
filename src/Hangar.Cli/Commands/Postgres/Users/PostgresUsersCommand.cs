using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Users;

/// <summary>`hangar postgres users list`: one verb so far, so it stays in the noun's file (Commands/&lt;Noun&gt;/&lt;Verb&gt;/ is for nouns with several).</summary>
internal static class PostgresUsersCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        var list = new Command("list", "List the cluster's users and the databases they may connect to").With(app).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListPostgresUsersAsync(context.Get(app), ct), PostgresFormat.Users);
            return 0;
        });
        list.Aliases.Add("ls");
        return new Command("users", "Manage users in a cluster").With(list);
    }
}
