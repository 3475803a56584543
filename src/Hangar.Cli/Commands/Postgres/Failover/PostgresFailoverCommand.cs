using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Failover;

internal static class PostgresFailoverCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        return new Command("failover", "Hand leadership to the healthiest replica (planned switchover)").With(app).Runs(async (context, ct) =>
        {
            var result = await context.Client.FailoverPostgresAsync(context.Get(app), ct);
            context.Out.Write(result, r => Output.Line($"Failover complete: leader is now {r.NewLeader} (was {r.OldLeader}), {r.Seconds:0.0}s"));
            return 0;
        });
    }
}
