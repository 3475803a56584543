using Hangar.Core.Resources;
using Hangar.Daemon.Postgres.Backups;
using Xunit;

namespace Hangar.Daemon.Tests.Postgres.Backups;

public sealed class DrillScheduleTests
{
    private static readonly DateTimeOffset FirstFull = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_drill_is_due_a_period_after_the_first_full_backup_then_a_period_after_each_drill()
    {
        var state = new PostgresBackupState { Cluster = "db", LastFullAt = FirstFull };
        Assert.Equal(FirstFull.AddDays(7), DrillSchedule.Next(state, 7));
        var drilled = state with { LastDrill = new PostgresDrillResult(FirstFull.AddDays(8), false, 3, null, "restore failed") };
        Assert.Equal(FirstFull.AddDays(9), DrillSchedule.Next(drilled, 1));
        Assert.Null(DrillSchedule.Next(new PostgresBackupState { Cluster = "db" }, 7));
    }

    [Fact]
    public void Zero_days_schedules_no_drill_and_never_reports_one_missing()
    {
        var state = new PostgresBackupState { Cluster = "db", LastFullAt = FirstFull };
        Assert.Null(DrillSchedule.Next(state, 0));
        Assert.Null(DrillSchedule.Missing(state, 0, FirstFull.AddYears(1)));
    }

    [Fact]
    public void A_drill_past_due_by_more_than_the_grace_is_missing_and_says_since_when()
    {
        var state = new PostgresBackupState { Cluster = "db", LastFullAt = FirstFull };
        var due = FirstFull.AddDays(7);
        Assert.Null(DrillSchedule.Missing(state, 7, due));
        Assert.Null(DrillSchedule.Missing(state, 7, due + DrillSchedule.Grace));
        var missing = DrillSchedule.Missing(state, 7, due + DrillSchedule.Grace + TimeSpan.FromSeconds(1));
        Assert.Equal("no restore drill since backups began: one was due 2026-12-08T03:00:00Z (every 7 days)", missing);

        var drilled = state with { LastDrill = new PostgresDrillResult(due, true, 4.2, "20261208-030000F", "ok") };
        Assert.Null(DrillSchedule.Missing(drilled, 7, due.AddDays(7)));
        Assert.StartsWith("no restore drill since 2026-12-08T03:00:00Z", DrillSchedule.Missing(drilled, 7, due.AddDays(8)), StringComparison.Ordinal);
    }
}
