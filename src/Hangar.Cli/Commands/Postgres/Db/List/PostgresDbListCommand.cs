using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Db.List;

internal static class PostgresDbListCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        var list = new Command("list", "List the cluster's databases").With(app).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListPostgresDatabasesAsync(context.Get(app), ct), PostgresFormat.Databases);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }
}
