using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;
using Spectre.Console;

namespace Hangar.Cli.Commands.Postgres.Backup;

/// <summary>`hangar postgres backup ...`: flyctl's `fly postgres backup` verbs over pgBackRest.</summary>
internal static class PostgresBackupCommand
{
    public static Command Create() =>
        new Command("backup", "Backups and point-in-time recovery (pgBackRest into Hangar's object storage)")
            .With(Enable(), Disable(), CreateBackup(), List(), Restore(), Mark(), Drill());

    private static Command Enable()
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

    private static Command Disable()
    {
        var app = GlobalOptions.App();
        return new Command("disable", "Stop archiving WAL and taking backups; the backups already taken are kept").With(app).Runs(async (context, ct) =>
        {
            await context.Client.DisablePostgresBackupsAsync(context.Get(app), ct);
            context.Out.Write(new { cluster = context.Get(app), enabled = false }, _ => Output.Line($"Backups disabled on {context.Get(app)}; existing backups are kept."));
            return 0;
        });
    }

    private static Command CreateBackup()
    {
        var app = GlobalOptions.App();
        var type = new Option<string>("--type") { Description = "full, diff or incr (default incr; full when there is none)" };
        var detach = new Option<bool>("--detach") { Description = "Return at once; the backup goes on in the daemon" };
        return new Command("create", "Take a backup now").With(app, type, detach).Runs(async (context, ct) =>
        {
            var request = new PostgresBackupCreateRequest(context.Get(type), context.Get(detach));
            PostgresBackupStarted started;
            if (!request.Detach && !context.Json && !Console.IsOutputRedirected)
            {
                started = await AnsiConsole.Status().StartAsync($"Taking a {request.Type ?? "incr"} backup of {context.Get(app)}...", _ => context.Client.CreatePostgresBackupAsync(context.Get(app), request, ct));
            }
            else
            {
                started = await context.Client.CreatePostgresBackupAsync(context.Get(app), request, ct);
            }

            context.Out.Write(started, s => Output.Line(s.Backup is { } b
                ? $"Backup {b.Id} ({b.Type}) of {s.Cluster}: {Output.Bytes(b.Size)} ({Output.Bytes(b.StoredSize)} stored) in {b.DurationSeconds:0.0}s"
                : $"A {s.Type} backup of {s.Cluster} started; see `hangar postgres backup list -a {s.Cluster}`"));
            return 0;
        });
    }

    private static Command List()
    {
        var app = GlobalOptions.App();
        var list = new Command("list", "List backups, the restorable window and the archive's state").With(app).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListPostgresBackupsAsync(context.Get(app), ct), PostgresBackupFormat.List);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }

    private static Command Restore()
    {
        var app = GlobalOptions.App();
        var newName = new Argument<string>("NEW_NAME") { Description = "Name of the new cluster to restore into" };
        var backupId = new Option<string>("--backup-id") { Description = "Restore this backup to its end (from `backup list`)" };
        var time = new Option<string>("--restore-target-time") { Description = "Recover to this RFC 3339 time, e.g. 2026-12-02T05:40:00Z" };
        var name = new Option<string>("--restore-target-name") { Description = "Recover to this restore point (`backup mark`)" };
        var lsn = new Option<string>("--restore-target-lsn") { Description = "Recover to this WAL position, e.g. 0/3000060" };
        var inclusive = new Option<bool?>("--restore-target-inclusive") { Description = "Include the target itself (default true)" };
        var repo = new Option<string>("--repo") { Description = "Restore from this repository alone: local (default) or offsite (`hangar up --backup-s3`)" };
        return new Command("restore", "Restore into a NEW cluster (the latest point unless a backup id or a target is given) and print its credentials")
            .With(app, newName, backupId, time, name, lsn, inclusive, repo)
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
                }, ct);
                context.Out.Write(created, PostgresFormat.Created);
                return 0;
            });
    }

    private static Command Mark()
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

    private static Command Drill()
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
