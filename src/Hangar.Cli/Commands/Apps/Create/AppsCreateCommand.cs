using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Apps.Create;

internal static class AppsCreateCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "App name" };
        return new Command("create", "Create an app").With(name).Runs(async (context, ct) =>
        {
            var app = await context.Client.CreateAppAsync(context.Get(name), ct);
            context.Out.Write(app, a => Output.Line($"New app created: {a.Name}"));
            return 0;
        });
    }
}
