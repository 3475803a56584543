using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Mpg.Restore;

/// <summary>`hangar mpg restore`: into a new managed cluster, as Fly restores.</summary>
internal static class MpgRestoreCommand
{
    public static Command Create()
    {
        var cluster = MpgArguments.Cluster();
        var name = new Option<string>("--name", "-n") { Description = "Name of the new cluster (default CLUSTER-restore)" };
        var backup = new Option<string>("--backup-id") { Description = "Backup to restore (see `mpg backup list`)" };
        var pitr = new Option<string>("--pitr-time") { Description = "Point in time to restore to (RFC 3339)" };
        return new Command("restore", "Restore a managed cluster's backup or point in time into a new cluster").With(cluster, name, backup, pitr).Runs(async (context, ct) =>
        {
            var created = await context.Client.RestoreMpgAsync(context.Get(cluster), new MpgRestoreRequest
            {
                NewName = context.Get(name) ?? context.Get(cluster) + "-restore",
                BackupId = context.Get(backup),
                PitrTime = context.Get(pitr),
            }, ct);
            context.Out.Write(created, MpgFormat.Created);
            return 0;
        });
    }
}
