using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Postgres.Backup.Enable;

/// <summary>`hangar postgres backup enable`.</summary>
internal static class PostgresBackupEnableCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        var retention = new Option<int?>("--backup-retention") { Description = "Days of backups to keep (1-365, default 7)" };
        return new Command("enable", "Archive WAL continuously and take a full backup now, then daily differential and weekly full backups")
            .With(app, retention)
            .Runs(async (context, ct) =>
            {
                var list = await context.Client.EnablePostgresBackupsAsync(context.Get(app), new PostgresBackupEnableRequest(context.Get(retention)), ct);
                context.Out.Write(list, l =>
                {
                    Output.Line($"Backups enabled on {l.Cluster} (retention {l.RetentionDays} days).");
                    PostgresBackupFormat.List(l);
                });
                return 0;
            });
    }
}
