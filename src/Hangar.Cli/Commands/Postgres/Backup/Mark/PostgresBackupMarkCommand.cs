using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Postgres.Backup.Mark;

/// <summary>`hangar postgres backup mark`.</summary>
internal static class PostgresBackupMarkCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        var name = new Argument<string>("NAME") { Description = "Restore point name, e.g. \"before migration 42\"" };
        return new Command("mark", "Create a named restore point (pg_create_restore_point) to restore to by name").With(app, name).Runs(async (context, ct) =>
        {
            var point = await context.Client.MarkPostgresRestorePointAsync(context.Get(app), new PostgresBackupMarkRequest(context.Get(name)), ct);
            context.Out.Write(point, p => Output.Line($"Restore point '{p.Name}' at LSN {p.Lsn} ({p.CreatedAt:u})"));
            return 0;
        });
    }
}
