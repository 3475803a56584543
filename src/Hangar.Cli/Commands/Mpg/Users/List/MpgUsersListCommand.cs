using System.CommandLine;
using Hangar.Cli.Commands.Postgres;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Users.List;

internal static class MpgUsersListCommand
{
    public static Command Create()
    {
        var cluster = PostgresArguments.Cluster();
        var list = new Command("list", "List the cluster's users and their roles").With(cluster).Runs(async (context, ct) =>
        {
            var name = context.Get(cluster);
            var users = await context.Client.ListPostgresUsersAsync(name, ct);
            context.Out.Write(users, all =>
            {
                if (all.Count == 0)
                {
                    Output.Line($"No users found for cluster {name}");
                    return;
                }

                Output.Table(["name", "role"], all.Select(u => new[] { u.Name, u.Role ?? "-" }));
            });
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }
}
