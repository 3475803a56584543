using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Backup.Disable;

/// <summary>`hangar postgres backup disable`.</summary>
internal static class PostgresBackupDisableCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        return new Command("disable", "Stop archiving WAL and taking backups; the backups already taken are kept").With(app).Runs(async (context, ct) =>
        {
            await context.Client.DisablePostgresBackupsAsync(context.Get(app), ct);
            context.Out.Write(new { cluster = context.Get(app), enabled = false }, _ => Output.Line($"Backups disabled on {context.Get(app)}; existing backups are kept."));
            return 0;
        });
    }
}
