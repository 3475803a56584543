using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Databases.Create;

internal static class MpgDatabasesCreateCommand
{
    public static Command Create()
    {
        var cluster = MpgArguments.Cluster();
        var name = new Option<string>("--name", "-n") { Description = "Database name", Required = true };
        return new Command("create", "Create a database").With(cluster, name).Runs(async (context, ct) =>
        {
            await context.Client.MpgStatusAsync(context.Get(cluster), ct);
            await context.Client.CreatePostgresDatabaseAsync(context.Get(cluster), context.Get(name), ct);
            context.Out.Write(new { cluster = context.Get(cluster), database = context.Get(name) }, _ => Output.Line($"Created database {context.Get(name)} in {context.Get(cluster)}"));
            return 0;
        });
    }
}
