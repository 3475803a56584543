using System.CommandLine;
using Hangar.Cli.Commands.Postgres;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Extensions;

/// <summary>`hangar mpg extensions list`: one verb, so it stays in the noun's file.</summary>
internal static class MpgExtensionsCommand
{
    public static Command Create()
    {
        var cluster = PostgresArguments.Cluster();
        var list = new Command("list", "List the extensions available on the cluster and where each is installed").With(cluster).Runs(async (context, ct) =>
        {
            var all = await context.Client.ListPostgresExtensionsAsync(context.Get(cluster), ct);
            context.Out.Write(all, extensions => Output.Table(["name", "version", "installed"], extensions.Select(e => new[]
            {
                // The description stays in --json: with it the table overflows 80 columns and the names are cut.
                e.Name, e.DefaultVersion ?? "-", e.Installed.Count == 0 ? "-" : string.Join(", ", e.Installed.Select(i => $"{i.Database} {i.Version}")),
            })));
            return 0;
        });
        list.Aliases.Add("ls");
        return new Command("extensions", "PostgreSQL extensions of a cluster").With(list);
    }
}
