using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Logs;

internal static class LogsCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App(required: false);
        app.Description = "Name of a cluster, Redis instance or process (default: the daemon's own log)";
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines" };
        var lines = new Option<int>("--lines", "-n") { Description = "How many recent lines to show", DefaultValueFactory = _ => 100 };
        return new Command("logs", "Show process logs").With(app, follow, lines).Runs(async (context, ct) =>
        {
            await using var stream = await context.Client.LogsAsync(context.Get(app), context.Get(lines), context.Get(follow), ct);
            await using var stdout = Console.OpenStandardOutput();
            try
            {
                await stream.CopyToAsync(stdout, ct);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
    }
}
