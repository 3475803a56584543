using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Apps.List;

internal static class AppsListCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List apps").Runs(async (context, ct) =>
        {
            var apps = await context.Client.ListAppsAsync(ct);
            context.Out.Write(apps, all => Output.Table(["name", "secrets", "attached", "created"],
                all.Select(a => new[] { a.Name, a.Secrets.ToString(), string.Join(", ", a.Attached), Output.Ago(a.CreatedAt) })));
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }
}
