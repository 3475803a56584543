using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Config.Show;

internal static class PostgresConfigShowCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        return new Command("show", "Show the cluster's PostgreSQL parameters").With(app).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.PostgresConfigAsync(context.Get(app), ct), PostgresFormat.Config);
            return 0;
        });
    }
}
