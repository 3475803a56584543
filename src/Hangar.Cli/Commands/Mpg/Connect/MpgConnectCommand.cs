using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Connect;

internal static class MpgConnectCommand
{
    public static Command Create()
    {
        var cluster = MpgArguments.Cluster();
        var database = new Option<string>("--database", "-d") { Description = "Database (default postgres)" };
        return new Command("connect", "Open psql on the cluster through its pool").With(cluster, database).Runs(async (context, ct) =>
        {
            var info = await context.Client.MpgConnectInfoAsync(context.Get(cluster), ct);
            var start = new ProcessStartInfo("psql") { UseShellExecute = false };
            foreach (var argument in new[] { "-h", info.Host, "-p", info.Port.ToString(CultureInfo.InvariantCulture), "-U", info.User, "-d", context.Get(database) ?? "postgres" })
            {
                start.ArgumentList.Add(argument);
            }

            // In the environment, not argv: other users can read a process's arguments in /proc.
            start.Environment["PGPASSWORD"] = info.Password;
            return await ClientTool.RunAsync(start, "postgresql-client");
        });
    }
}
