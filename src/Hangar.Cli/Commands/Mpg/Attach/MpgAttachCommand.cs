using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Mpg.Attach;

internal static class MpgAttachCommand
{
    public static Command Create()
    {
        var cluster = MpgArguments.Cluster();
        var app = GlobalOptions.App();
        var database = new Option<string>("--database") { Description = "Database to create for the app (default: from the app name)" };
        var variable = new Option<string>("--variable-name") { Description = "Secret for the pooled URL (default DATABASE_URL); DIRECT_ + it gets the direct URL" };
        return new Command("attach", "Attach a managed cluster to an app: pooled URL in DATABASE_URL, direct in DIRECT_DATABASE_URL")
            .With(cluster, app, database, variable).Runs(async (context, ct) =>
            {
                var attached = await context.Client.AttachMpgAsync(context.Get(cluster), new MpgAttachRequest(context.Get(app), context.Get(database), context.Get(variable)), ct);
                context.Out.Write(attached, a =>
                {
                    Output.Line($"Attached {a.Cluster} to app {a.App}: database {a.Database}, user {a.User}");
                    Output.Line($"  {a.Variable}: {a.Url} (pooled)");
                    Output.Line($"  DIRECT_{a.Variable}: the cluster port (migrations, advisory locks, LISTEN/NOTIFY)");
                });
                return 0;
            });
    }
}
