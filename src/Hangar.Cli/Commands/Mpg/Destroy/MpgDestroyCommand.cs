using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Destroy;

internal static class MpgDestroyCommand
{
    public static Command Create()
    {
        var cluster = MpgArguments.Cluster();
        return new Command("destroy", "Destroy a managed cluster: pool, nodes, volumes and data").With(cluster, GlobalOptions.Yes).Runs(async (context, ct) =>
        {
            var name = context.Get(cluster);
            context.Confirm(context.Get(GlobalOptions.Yes), $"Destroy managed Postgres cluster {name} and all its data?", $"not destroying mpg cluster {name} without confirmation");
            await context.Client.DestroyMpgAsync(name, ct);
            context.Out.Write(new { destroyed = name }, _ => Output.Line($"Destroyed managed Postgres cluster {name}"));
            return 0;
        });
    }
}
