using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Postgres.Attach;

internal static class PostgresAttachCommand
{
    public static Command Create()
    {
        var cluster = PostgresArguments.Cluster();
        var app = GlobalOptions.App();
        var database = new Option<string>("--database-name") { Description = "Database to create (default: the app name with '-' as '_')" };
        var user = new Option<string>("--database-user") { Description = "Role to create (default: the app name with '-' as '_')" };
        var variable = new Option<string>("--variable-name") { Description = "Secret to set on the app (default DATABASE_URL)" };
        var superuser = new Option<bool>("--superuser") { Description = "Make the role a superuser" };
        return new Command("attach", "Create a database and a role for an app and set its DATABASE_URL").With(cluster, app, database, user, variable, superuser).Runs(async (context, ct) =>
        {
            var attached = await context.Client.AttachPostgresAsync(context.Get(cluster), new PostgresAttachRequest(
                context.Get(app), context.Get(database), context.Get(user), context.Get(variable), context.Get(superuser)), ct);
            context.Out.Write(attached, a =>
            {
                Output.Line($"Postgres cluster {a.Cluster} is now attached to {a.App}");
                Output.Line($"The following secret was added to {a.App}:");
                Output.Line($"  {a.Variable}={a.Url}");
            });
            return 0;
        });
    }
}
