using System.Globalization;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Postgres.Backup;

internal static class PostgresBackupFormat
{
    public static void List(PostgresBackupList l)
    {
        Output.Fields(
            ("Cluster", l.Cluster),
            ("Backups", l.DeletedAt is { } deletedAt ? $"of the destroyed cluster (destroyed {Time(deletedAt)}), kept until {Time(l.KeptUntil)}"
                : l.Enabled ? $"enabled, retention {l.RetentionDays} days" : "disabled (existing backups kept)"),
            ("Off-site", l.Offsite ?? "none (`hangar up --backup-s3 URL ...`)"),
            ("Restorable", l.EarliestRestorableTime is { } from && l.LatestRestorableTime is { } to ? $"{Time(from)} to {Time(to)}" : "nothing yet"),
            ("Restorable LSN", l.EarliestRestorableLsn is { } a && l.LatestRestorableLsn is { } b ? $"{a} to {b}" : null),
            ("Archive", l.ArchiveFailingSince is { } since ? $"FAILING since {Time(since)}: {l.ArchiveFailure}" : l.ArchiveMax is { } max ? $"ok, WAL {l.ArchiveMin} to {max}" : "nothing archived yet"),
            ("Schedule", l.Enabled ? $"next diff {Time(l.NextDiffAt)}, next full {Time(l.NextFullAt)}" : null),
            ("Last drill", l.LastDrill is { } d ? $"{(d.Passed ? "passed" : "FAILED")} {Time(d.At)}: {d.Detail}" : l.NextDrillAt is { } next ? $"none yet, next {Time(next)}" : null),
            ("Running", l.Running),
            ("Last error", l.LastError));
        Output.Line(string.Empty);
        Output.Table(
            ["ID", "REPO", "TYPE", "START", "DURATION", "SIZE", "STORED", "WAL START", "WAL STOP"],
            l.Backups.Select(b => new[]
            {
                b.Id, b.Repository, b.Type, Time(b.Start), b.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s", Output.Bytes(b.Size), Output.Bytes(b.StoredSize), b.WalStart, b.WalStop,
            }));
        if (l.RestorePoints.Count > 0)
        {
            Output.Line(string.Empty);
            Output.Table(["RESTORE POINT", "LSN", "CREATED"], l.RestorePoints.Select(p => new[] { p.Name, p.Lsn, Time(p.CreatedAt) }));
        }
    }

    private static string Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}
