using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Backup.Drill;

/// <summary>`hangar postgres backup drill`: exits 1 when the drill fails.</summary>
internal static class PostgresBackupDrillCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        return new Command("drill", "Restore the latest point into a scratch cluster, check it, time it, destroy it").With(app).Runs(async (context, ct) =>
        {
            var drill = await context.Client.DrillPostgresBackupAsync(context.Get(app), ct);
            context.Out.Write(drill, d => Output.Line($"Drill {(d.Passed ? "passed" : "FAILED")} for {d.Cluster}: {d.Detail}"));
            return drill.Passed ? 0 : 1;
        });
    }
}
