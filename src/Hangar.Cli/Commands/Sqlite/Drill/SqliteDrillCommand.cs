using System.CommandLine;
using System.Globalization;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Sqlite.Drill;

internal static class SqliteDrillCommand
{
    public static Command Create()
    {
        var name = SqliteCommand.NameArgument();
        return new Command("drill", "Restore the latest replica to a scratch file and check it (integrity, row counts); exits 1 when it fails").With(name).Runs(async (context, ct) =>
        {
            var drill = await context.Client.DrillSqliteAsync(context.Get(name), ct);
            context.Out.Write(drill, Show);
            return drill.Passed ? 0 : 1;
        });
    }

    private static void Show(SqliteDrillResult d)
    {
        Output.Line($"Drill of SQLite {d.Name} {(d.Passed ? "passed" : "FAILED")} in {d.Seconds.ToString("0.00", CultureInfo.InvariantCulture)} s: {d.Summary}");
        if (d.Tables.Count > 0)
        {
            Output.Table(["table", "live rows", "restored rows"], d.Tables.Select(t => new[] { t.Table, t.Live < 0 ? "-" : t.Live.ToString(CultureInfo.InvariantCulture), t.Restored < 0 ? "-" : t.Restored.ToString(CultureInfo.InvariantCulture) }));
        }
    }
}
