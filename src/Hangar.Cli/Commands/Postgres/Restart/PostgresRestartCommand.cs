using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Restart;

internal static class PostgresRestartCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        return new Command("restart", "Rolling restart: replicas first, then a switchover, then the old leader").With(app).Runs(async (context, ct) =>
        {
            var result = await context.Client.RestartPostgresAsync(context.Get(app), ct);
            context.Out.Write(result, r => Output.Line($"Restarted {string.Join(", ", r.Restarted)} in {r.Seconds:0.0}s; leader is {r.Leader}"));
            return 0;
        });
    }
}
