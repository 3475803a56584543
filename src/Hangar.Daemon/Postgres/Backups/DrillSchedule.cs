using Hangar.Core.Resources;
using Hangar.Postgres.Backups;

namespace Hangar.Daemon.Postgres.Backups;

/// <summary>
/// When a cluster's next scheduled restore drill is due (`hangar up --backup-drill-days`, 7 by default, 0 for none):
/// that many days after the last drill, the first that long after the first full backup. A drill more than
/// <see cref="Grace"/> past due is missing, which the backup check shows as a warning: a schedule that silently
/// stopped drilling is as untested as no schedule.
/// </summary>
internal static class DrillSchedule
{
    public static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    public static DateTimeOffset? Next(PostgresBackupState state, int days) =>
        days <= 0 ? null
        : state.LastDrill is { } last ? last.At + TimeSpan.FromDays(days)
        : state.LastFullAt is { } full ? full + TimeSpan.FromDays(days)
        : null;

    /// <summary>The check's line when the due drill has not run within <see cref="Grace"/>, else null.</summary>
    public static string? Missing(PostgresBackupState state, int days, DateTimeOffset now) =>
        Next(state, days) is { } due && now > due + Grace
            ? $"no restore drill since {(state.LastDrill is { } last ? RestoreWindow.Format(last.At) : "backups began")}: one was due {RestoreWindow.Format(due)} (every {days} days)"
            : null;
}
