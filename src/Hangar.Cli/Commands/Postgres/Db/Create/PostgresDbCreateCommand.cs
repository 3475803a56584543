using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Db.Create;

internal static class PostgresDbCreateCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        var name = new Argument<string>("name") { Description = "Database name" };
        return new Command("create", "Create a database (owned by postgres; `attach --database-name` gives it to an app)").With(name, app).Runs(async (context, ct) =>
        {
            var cluster = context.Get(app);
            var database = context.Get(name);
            await context.Client.CreatePostgresDatabaseAsync(cluster, database, ct);
            context.Out.Write(new { cluster, database }, _ => Output.Line($"Database {database} created on {cluster}"));
            return 0;
        });
    }
}
