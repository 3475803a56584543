using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Sqlite.List;

internal static class SqliteListCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List replicated SQLite databases").Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListSqliteAsync(ct), Table);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }

    private static void Table(IReadOnlyList<SqliteInfo> all) =>
        Output.Table(["name", "app", "state", "path", "replica", "sync", "retention", "created"],
            all.Select(d => new[] { d.Name, d.App, d.State, d.Path, d.ReplicaUrl, d.SyncInterval, d.Retention, Output.Ago(d.CreatedAt) }));
}
