using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Config.Show;

internal static class MpgConfigShowCommand
{
    public static Command Create()
    {
        var cluster = MpgArguments.Cluster();
        return new Command("show", "Show the cluster's parameters and the pool's settings").With(cluster).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.MpgConfigAsync(context.Get(cluster), ct), MpgFormat.Config);
            return 0;
        });
    }
}
