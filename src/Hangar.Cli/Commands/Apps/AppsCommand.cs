using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Apps;

internal static class AppsCommand
{
    public static Command Create()
    {
        var createName = new Argument<string>("name") { Description = "App name" };
        var create = new Command("create", "Create an app").With(createName).Runs(async (context, ct) =>
        {
            var app = await context.Client.CreateAppAsync(context.Get(createName), ct);
            context.Out.Write(app, a => Output.Line($"New app created: {a.Name}"));
            return 0;
        });

        var list = new Command("list", "List apps").Runs(async (context, ct) =>
        {
            var apps = await context.Client.ListAppsAsync(ct);
            context.Out.Write(apps, all => Output.Table(["name", "secrets", "attached", "created"],
                all.Select(a => new[] { a.Name, a.Secrets.ToString(), string.Join(", ", a.Attached), Output.Ago(a.CreatedAt) })));
            return 0;
        });
        list.Aliases.Add("ls");

        var destroyName = new Argument<string>("name") { Description = "App name" };
        var force = new Option<bool>("--force") { Description = "Destroy even with resources attached (their data stays)" };
        var destroy = new Command("destroy", "Destroy an app and its secrets").With(destroyName, force, GlobalOptions.Yes).Runs(async (context, ct) =>
        {
            var name = context.Get(destroyName);
            context.Confirm(context.Get(GlobalOptions.Yes), $"Destroy app {name} and its secrets?", $"not destroying app '{name}' without confirmation");
            await context.Client.DestroyAppAsync(name, context.Get(force), ct);
            context.Out.Write(new { destroyed = name }, _ => Output.Line($"Destroyed app {name}"));
            return 0;
        });

        var apps = new Command("apps", "Manage apps").With(create, list, destroy);
        apps.Aliases.Add("app");
        return apps;
    }
}
