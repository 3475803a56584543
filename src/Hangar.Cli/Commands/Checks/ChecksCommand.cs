using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Checks;

/// <summary>
/// `hangar checks list -a NAME`, as `fly checks list`: exit code 1 when any check is critical. Without -a, the
/// platform's own checks (free space on the data dir).
/// </summary>
internal static class ChecksCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App(required: false);
        app.Description = "Name of a Postgres cluster, Redis instance or bucket; without it, the platform's own checks";
        var list = new Command("list", "List health checks and their state").With(app).Runs(async (context, ct) =>
        {
            var checks = await context.Client.ListChecksAsync(context.Get(app) is { Length: > 0 } name ? name : null, ct);
            context.Out.Write(checks, all => Output.Table(["name", "status", "resource", "checked", "output"],
                all.Select(c => new[] { c.Name, c.Status, c.Resource, Output.Ago(c.CheckedAt), c.Output })));
            return checks.Any(c => c.Status == "critical") ? 1 : 0;
        });
        list.Aliases.Add("ls");
        var checks = new Command("checks", "Health checks of resources").With(list);
        checks.Aliases.Add("check");
        return checks;
    }
}
