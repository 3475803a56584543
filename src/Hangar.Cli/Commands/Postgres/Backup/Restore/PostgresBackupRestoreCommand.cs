using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Postgres.Backup.Restore;

/// <summary>`hangar postgres backup restore`: always into a new cluster.</summary>
internal static class PostgresBackupRestoreCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        var newName = new Argument<string>("NEW_NAME") { Description = "Name of the new cluster to restore into" };
        var backupId = new Option<string>("--backup-id") { Description = "Restore this backup to its end (from `backup list`)" };
        var time = new Option<string>("--restore-target-time") { Description = "Recover to this RFC 3339 time, e.g. 2026-12-02T05:40:00Z" };
        var name = new Option<string>("--restore-target-name") { Description = "Recover to this restore point (`backup mark`)" };
        var lsn = new Option<string>("--restore-target-lsn") { Description = "Recover to this WAL position, e.g. 0/3000060" };
        var inclusive = new Option<bool?>("--restore-target-inclusive") { Description = "Include the target itself (default true)" };
        var repo = new Option<string>("--repo") { Description = "Restore from this repository alone: local (default) or offsite (`hangar up --backup-s3`)" };
        var deleted = new Option<bool>("--deleted") { Description = "From the kept backups of a destroyed cluster of that name (the default when no cluster has it)" };
        return new Command("restore", "Restore into a NEW cluster (the latest point unless a backup id or a target is given) and print its credentials")
            .With(app, newName, backupId, time, name, lsn, inclusive, repo, deleted)
            .Runs(async (context, ct) =>
            {
                var created = await context.Client.RestorePostgresBackupAsync(context.Get(app), new PostgresBackupRestoreRequest
                {
                    NewName = context.Get(newName),
                    BackupId = context.Get(backupId),
                    RestoreTargetTime = context.Get(time),
                    RestoreTargetName = context.Get(name),
                    RestoreTargetLsn = context.Get(lsn),
                    RestoreTargetInclusive = context.Get(inclusive),
                    Repository = context.Get(repo),
                    Deleted = context.Get(deleted),
                }, ct);
                context.Out.Write(created, PostgresFormat.Created);
                return 0;
            });
    }
}
