using System.CommandLine;
using Hangar.Cli.Commands.Postgres.Backup;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Backup.List;

internal static class MpgBackupListCommand
{
    public static Command Create()
    {
        var cluster = MpgArguments.Cluster();
        var list = new Command("list", "List backups and the restorable window").With(cluster).Runs(async (context, ct) =>
        {
            await context.Client.MpgStatusAsync(context.Get(cluster), ct);
            context.Out.Write(await context.Client.ListPostgresBackupsAsync(context.Get(cluster), deleted: false, ct), PostgresBackupFormat.List);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }
}
