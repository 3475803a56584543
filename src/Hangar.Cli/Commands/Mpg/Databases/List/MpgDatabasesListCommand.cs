using System.CommandLine;
using Hangar.Cli.Commands.Postgres;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Databases.List;

internal static class MpgDatabasesListCommand
{
    public static Command Create()
    {
        var cluster = MpgArguments.Cluster();
        var list = new Command("list", "List the cluster's databases").With(cluster).Runs(async (context, ct) =>
        {
            await context.Client.MpgStatusAsync(context.Get(cluster), ct);
            context.Out.Write(await context.Client.ListPostgresDatabasesAsync(context.Get(cluster), ct), PostgresFormat.Databases);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }
}
