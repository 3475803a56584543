using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Detach;

internal static class PostgresDetachCommand
{
    public static Command Create()
    {
        var cluster = PostgresArguments.Cluster();
        var app = GlobalOptions.App();
        var variable = new Option<string>("--variable-name") { Description = "Which attachment, by the secret it set (needed when the app has several of this cluster)" };
        return new Command("detach", "Drop an app's role and unset its secret (the database is kept)").With(cluster, app, variable).Runs(async (context, ct) =>
        {
            var name = context.Get(cluster);
            var target = context.Get(app);
            var which = context.Parse.GetValue(variable);
            await context.Client.DetachPostgresAsync(name, target, which, ct);
            context.Out.Write(new { cluster = name, app = target, variable = which }, _ =>
                Output.Line($"Postgres cluster {name} detached from app {target}{(which is null ? string.Empty : " (" + which + ")")}"));
            return 0;
        });
    }
}
