using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Apps.Destroy;

internal static class AppsDestroyCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "App name" };
        var force = new Option<bool>("--force") { Description = "Destroy even with resources attached (their data stays)" };
        return new Command("destroy", "Destroy an app and its secrets").With(name, force, GlobalOptions.Yes).Runs(async (context, ct) =>
        {
            var app = context.Get(name);
            context.Confirm(context.Get(GlobalOptions.Yes), $"Destroy app {app} and its secrets?", $"not destroying app '{app}' without confirmation");
            await context.Client.DestroyAppAsync(app, context.Get(force), ct);
            context.Out.Write(new { destroyed = app }, _ => Output.Line($"Destroyed app {app}"));
            return 0;
        });
    }
}
