using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Sqlite.Stop;

internal static class SqliteStopCommand
{
    public static Command Create()
    {
        var name = SqliteCommand.NameArgument();
        return new Command("stop", "Stop replicating a database; the replica stays restorable (`replicate` resumes)").With(name).Runs(async (context, ct) =>
        {
            var db = await context.Client.StopSqliteAsync(context.Get(name), ct);
            context.Out.Write(db, d => Output.Line($"SQLite {d.Name}: replication stopped; the replica at {d.ReplicaUrl} is kept"));
            return 0;
        });
    }
}
