using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Status;

internal static class PostgresStatusCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        return new Command("status", "Show a cluster's nodes: role, state, lag, volume, ports").With(app).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.PostgresStatusAsync(context.Get(app), ct), PostgresFormat.Status);
            return 0;
        });
    }
}
