using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Backup.List;

/// <summary>`hangar postgres backup list`.</summary>
internal static class PostgresBackupListCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        var deleted = new Option<bool>("--deleted") { Description = "The kept backups of a destroyed cluster of that name (the newest), even when a new cluster has the name" };
        var list = new Command("list", "List backups, the restorable window and the archive's state").With(app, deleted).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListPostgresBackupsAsync(context.Get(app), context.Get(deleted), ct), PostgresBackupFormat.List);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }
}
