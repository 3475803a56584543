using System.CommandLine;
using System.Globalization;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Sqlite.Status;

internal static class SqliteStatusCommand
{
    public static Command Create()
    {
        var name = SqliteCommand.NameArgument();
        return new Command("status", "Show a replicated database: process, lag, generations, snapshots, bytes").With(name).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.SqliteStatusAsync(context.Get(name), ct), Show);
            return 0;
        });
    }

    private static void Show(SqliteStatusInfo s)
    {
        var d = s.Database;
        var fields = new List<(string, string?)>
        {
            ("Name", d.Name),
            ("App", d.App),
            ("State", $"{d.State} (process {s.ProcessState}{(s.Pid is { } pid ? $", pid {pid}" : string.Empty)}{(s.Adopted ? ", adopted" : string.Empty)}, {s.Restarts} restarts)"),
            ("Path", d.Path),
            ("Replica", d.ReplicaUrl),
            ("Settings", $"sync every {d.SyncInterval}, retention {d.Retention}, snapshots every {d.SnapshotInterval}"),
            ("Lag", s.LagSeconds is { } lag ? lag.ToString("0.0 s", CultureInfo.InvariantCulture) : "-"),
            ("Last sync", s.LastSyncAt is { } at ? $"{at:u} ({Output.Ago(at)})" : "-"),
            ("Generations", s.Generations.Count.ToString(CultureInfo.InvariantCulture)),
            ("Snapshots", s.Snapshots.ToString(CultureInfo.InvariantCulture)),
            ("Bytes", Output.Bytes(s.ReplicaBytes)),
            ("Last drill", s.LastDrill is { } drill ? $"{(drill.Passed ? "passed" : "FAILED")} {drill.At:u}: {drill.Summary}" : "-"),
        };
        if (s.ReplicaError is { } error)
        {
            fields.Add(("Replica error", error));
        }

        if (d.Error is { } last)
        {
            fields.Add(("Error", last));
        }

        Output.Fields([.. fields]);
        if (s.Generations.Count > 0)
        {
            Output.Line(string.Empty);
            Output.Table(["generation", "start", "end", "snapshots", "wal segments", "bytes"],
                s.Generations.Select(g => new[] { g.Id, g.Start?.ToString("u", CultureInfo.InvariantCulture), g.End?.ToString("u", CultureInfo.InvariantCulture), g.Snapshots.ToString(CultureInfo.InvariantCulture), g.WalSegments.ToString(CultureInfo.InvariantCulture), Output.Bytes(g.Bytes) }));
        }
    }
}
