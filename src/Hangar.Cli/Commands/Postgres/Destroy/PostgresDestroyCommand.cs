using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Destroy;

internal static class PostgresDestroyCommand
{
    public static Command Create()
    {
        var cluster = PostgresArguments.Cluster();
        var force = new Option<bool>("--force") { Description = "Destroy even while attached: the apps' secrets are removed" };
        var purge = new Option<bool>("--purge-backups") { Description = "Remove its backups now too (by default they are kept for the backup retention, restorable with `backup restore --deleted`)" };
        return new Command("destroy", "Destroy a cluster, its nodes, volumes and data").With(cluster, force, purge, GlobalOptions.Yes).Runs(async (context, ct) =>
        {
            var name = context.Get(cluster);
            context.Confirm(context.Get(GlobalOptions.Yes), $"Destroy Postgres cluster {name} and all its data?", $"not destroying postgres cluster {name} without confirmation");
            await context.Client.DestroyPostgresAsync(name, context.Get(force), context.Get(purge), ct);
            context.Out.Write(new { destroyed = name }, _ => Output.Line($"Destroyed Postgres cluster {name}"));
            return 0;
        });
    }
}
