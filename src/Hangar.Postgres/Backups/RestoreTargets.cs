using System.Globalization;
using Hangar.Core.Errors;
using Hangar.Core.Resources;

namespace Hangar.Postgres.Backups;

/// <summary>
/// Checks a restore request against what the repository holds and turns it into the backup set and recovery target
/// pgBackRest is given. Every refusal is one line naming the value and what is allowed (the window, the known names),
/// and happens before anything is created.
/// </summary>
public static class RestoreTargets
{
    public const string Latest = "latest";
    public const string Immediate = "immediate";
    public const string Time = "time";
    public const string Name = "name";
    public const string LsnType = "lsn";

    public static PostgresRestoreSource Resolve(string cluster, RestoreRequestTarget request, PgBackRestInfo info, RestoreWindow? window, IReadOnlyList<PostgresRestorePoint> marks)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(marks);
        var given = new[] { ("--backup-id", request.BackupId), ("--restore-target-time", request.Time), ("--restore-target-name", request.Name), ("--restore-target-lsn", request.Lsn) }
            .Where(f => f.Item2 is not null).Select(f => f.Item1).ToList();
        if (given.Count > 1)
        {
            throw HangarException.Invalid($"{string.Join(" and ", given)} cannot go together: give a backup id, or one restore target, or neither (the latest point)");
        }

        if (request.Inclusive is not null && (request.Time ?? request.Name ?? request.Lsn) is null)
        {
            throw HangarException.Invalid("--restore-target-inclusive needs --restore-target-time, --restore-target-name or --restore-target-lsn");
        }

        var good = info.Backups.Where(b => !b.Error).OrderBy(b => b.Stop).ToList();
        if (window is null || good.Count == 0)
        {
            throw HangarException.Precondition($"cluster '{cluster}' has no backup to restore from yet: run `hangar postgres backup create -a {cluster}`");
        }

        var inclusive = request.Inclusive ?? true;
        if (request.BackupId is { } id)
        {
            var set = good.FirstOrDefault(b => b.Label == id)
                ?? throw HangarException.Invalid($"unknown --backup-id {Printable.Quote(id)} for cluster '{cluster}': {Known(good)}");
            return new PostgresRestoreSource { Cluster = cluster, BackupSet = set.Label, TargetType = Immediate };
        }

        if (request.Time is { } text)
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var time) || !HasOffset(text))
            {
                throw HangarException.Invalid($"invalid --restore-target-time {Printable.Quote(text)}: an RFC 3339 time with its offset, such as 2026-12-02T05:40:00Z");
            }

            if (time < window.EarliestTime || time > window.LatestTime)
            {
                throw HangarException.Invalid($"--restore-target-time {RestoreWindow.Format(time)} is outside the restorable window of cluster '{cluster}': {RestoreWindow.Format(window.EarliestTime)} to {RestoreWindow.Format(window.LatestTime)}");
            }

            var set = good.Last(b => b.Stop <= time);
            return new PostgresRestoreSource
            {
                Cluster = cluster,
                BackupSet = set.Label,
                TargetType = Time,
                Target = time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00",
                Inclusive = inclusive,
            };
        }

        if (request.Lsn is { } lsnText)
        {
            if (!Lsn.TryParse(lsnText, out var lsn))
            {
                throw HangarException.Invalid($"invalid --restore-target-lsn {Printable.Quote(lsnText)}: a WAL position such as 0/3000060");
            }

            if (lsn < window.EarliestLsn || lsn > window.LatestLsn)
            {
                throw HangarException.Invalid($"--restore-target-lsn {lsn} is outside the restorable window of cluster '{cluster}': LSN {window.EarliestLsn} to {window.LatestLsn}");
            }

            return new PostgresRestoreSource { Cluster = cluster, BackupSet = good.Last(b => b.StopLsn <= lsn).Label, TargetType = LsnType, Target = lsn.ToString(), Inclusive = inclusive };
        }

        if (request.Name is { } name)
        {
            var mark = marks.LastOrDefault(m => m.Name == name)
                ?? throw HangarException.Invalid($"--restore-target-name {Printable.Quote(name)} was never marked on cluster '{cluster}': {(marks.Count == 0 ? "no restore points yet (hangar postgres backup mark)" : "marked: " + string.Join(", ", marks.Select(m => m.Name).Distinct()))}");
            var at = Lsn.Parse(mark.Lsn);
            if (at < window.EarliestLsn || at > window.LatestLsn)
            {
                throw HangarException.Invalid($"restore point '{name}' (LSN {at}, {RestoreWindow.Format(mark.CreatedAt)}) is outside the restorable window of cluster '{cluster}': {window}");
            }

            return new PostgresRestoreSource { Cluster = cluster, BackupSet = good.Last(b => b.StopLsn <= at).Label, TargetType = Name, Target = name, Inclusive = inclusive };
        }

        return new PostgresRestoreSource { Cluster = cluster, BackupSet = good[^1].Label, TargetType = Latest };
    }

    /// <summary>A restore point name pg_create_restore_point takes and a command line carries safely.</summary>
    public static string? MarkProblem(string? name) =>
        name is { Length: > 0 and < 64 } && name.All(c => c is >= ' ' and <= '~' and not '\'' and not '"' and not '\\') && name.Trim() == name
            ? null
            : $"invalid restore point name {Printable.Quote(name ?? string.Empty)}: 1-63 printable ASCII characters without quotes or backslashes, no leading or trailing space";

    private static string Known(List<PgBackRestBackup> good) =>
        "known backups are " + string.Join(", ", good.Select(b => b.Label));

    // DateTimeOffset.TryParse takes a time without an offset as local time; a restore target must say which instant it means.
    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
}
