using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.List;

internal static class PostgresListCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List Postgres clusters").Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListPostgresAsync(ct), PostgresFormat.Table);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }
}
