using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Status;

internal static class MpgStatusCommand
{
    public static Command Create()
    {
        var cluster = MpgArguments.Cluster();
        return new Command("status", "Show a managed cluster: plan, pool, its server connections and the nodes").With(cluster).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.MpgStatusAsync(context.Get(cluster), ct), MpgFormat.Status);
            return 0;
        });
    }
}
