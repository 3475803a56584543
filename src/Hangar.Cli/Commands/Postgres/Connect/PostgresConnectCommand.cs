using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Connect;

internal static class PostgresConnectCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        var database = new Option<string>("--database", "-d") { Description = "Database (default postgres)" };
        var user = new Option<string>("--user", "-u") { Description = "User (default postgres)" };
        var password = new Option<string>("--password", "-p") { Description = "Password of --user (default: the superuser's when --user is postgres; psql asks otherwise)" };
        return new Command("connect", "Open psql on the cluster through its cluster port").With(app, database, user, password).Runs(async (context, ct) =>
        {
            var info = await context.Client.PostgresConnectInfoAsync(context.Get(app), ct);
            var asUser = context.Get(user) ?? info.User;
            var start = new ProcessStartInfo("psql") { UseShellExecute = false };
            foreach (var argument in new[] { "-h", info.Host, "-p", info.Port.ToString(CultureInfo.InvariantCulture), "-U", asUser, "-d", context.Get(database) ?? "postgres" })
            {
                start.ArgumentList.Add(argument);
            }

            // In the environment, not argv: other users can read a process's arguments in /proc.
            if (context.Get(password) is { } given)
            {
                start.Environment["PGPASSWORD"] = given;
            }
            else if (asUser == info.User)
            {
                start.Environment["PGPASSWORD"] = info.Password;
            }

            return await ClientTool.RunAsync(start, "postgresql-client");
        });
    }
}
