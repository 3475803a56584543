using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Sqlite.Config;

internal static class SqliteConfigCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        return new Command("config", "Print a litestream.yml for an app's databases, pointing at Hangar's S3").With(app).Runs(async (context, ct) =>
        {
            var config = await context.Client.SqliteConfigAsync(context.Get(app), ct);
            context.Out.Write(config, c => Console.Out.Write(c.Yaml));
            return 0;
        });
    }
}
