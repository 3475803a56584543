using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Detach;

internal static class MpgDetachCommand
{
    public static Command Create()
    {
        var cluster = MpgArguments.Cluster();
        var app = GlobalOptions.App();
        var variable = new Option<string>("--variable-name") { Description = "Which attachment, when the app has several (its pooled variable)" };
        return new Command("detach", "Detach a managed cluster from an app: both URLs unset, the app's role dropped, its database kept")
            .With(cluster, app, variable).Runs(async (context, ct) =>
            {
                await context.Client.DetachMpgAsync(context.Get(cluster), context.Get(app), context.Get(variable), ct);
                context.Out.Write(new { detached = context.Get(cluster), app = context.Get(app) }, _ => Output.Line($"Detached {context.Get(cluster)} from app {context.Get(app)}"));
                return 0;
            });
    }
}
