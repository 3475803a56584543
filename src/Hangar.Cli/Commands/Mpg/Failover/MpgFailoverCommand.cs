using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Failover;

internal static class MpgFailoverCommand
{
    public static Command Create()
    {
        var cluster = MpgArguments.Cluster();
        return new Command("failover", "Hand leadership to the sync standby; the pool pauses its clients meanwhile").With(cluster).Runs(async (context, ct) =>
        {
            var result = await context.Client.FailoverMpgAsync(context.Get(cluster), ct);
            context.Out.Write(result, r => Output.Line($"Failover complete: leader is now {r.NewLeader} (was {r.OldLeader}), {r.Seconds:0.0}s"));
            return 0;
        });
    }
}
