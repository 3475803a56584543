using System.Globalization;

namespace Hangar.Postgres.Backups;

/// <summary>
/// What a cluster can be restored to: from the end of its oldest good backup (the first consistent point) to the
/// end of its archive — as a time, the moment up to which every commit is known to be archived.
/// </summary>
public sealed record RestoreWindow(DateTimeOffset EarliestTime, DateTimeOffset LatestTime, Lsn EarliestLsn, Lsn LatestLsn)
{
    /// <summary>Null when there is no good backup yet (nothing can be restored).</summary>
    public static RestoreWindow? Of(PgBackRestInfo info, DateTimeOffset archivedThrough)
    {
        ArgumentNullException.ThrowIfNull(info);
        var good = info.Backups.Where(b => !b.Error).ToList();
        if (good.Count == 0)
        {
            return null;
        }

        var oldest = good.MinBy(b => b.Stop)!;
        var newest = good.MaxBy(b => b.Stop)!;
        var latestLsn = info.ArchiveMax is { } max ? Lsn.EndOfSegment(max) : newest.StopLsn;
        // pgBackRest keeps whole seconds; the backup is consistent only once it stopped, so the window opens a second later.
        return new RestoreWindow(oldest.Stop.AddSeconds(1), archivedThrough < newest.Stop ? newest.Stop : archivedThrough, oldest.StopLsn, latestLsn < newest.StopLsn ? newest.StopLsn : latestLsn);
    }

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public override string ToString() => $"{Format(EarliestTime)} to {Format(LatestTime)} (LSN {EarliestLsn} to {LatestLsn})";
}
