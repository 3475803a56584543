using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Postgres.Backups;
using Xunit;

namespace Hangar.Postgres.Tests.Backups;

public sealed class RestoreTargetsTests
{
    private static readonly PgBackRestInfo Info = PgBackRestInfo.Parse(PgBackRestInfoTests.Json, "db");
    private static readonly DateTimeOffset FullStop = DateTimeOffset.FromUnixTimeSeconds(1796191210);
    private static readonly DateTimeOffset DiffStop = DateTimeOffset.FromUnixTimeSeconds(1796194803);
    private static readonly RestoreWindow Window = RestoreWindow.Of(Info, DiffStop.AddMinutes(10))!;
    private static readonly PostgresRestorePoint[] Marks = [new("before migration 42", "0/8000000", FullStop.AddMinutes(70))];

    private static PostgresRestoreSource Resolve(string? id = null, string? time = null, string? name = null, string? lsn = null, bool? inclusive = null) =>
        RestoreTargets.Resolve("db", new RestoreRequestTarget(id, time, name, lsn, inclusive), Info, Window, Marks);

    [Fact]
    public void The_window_runs_from_just_after_the_oldest_backup_to_what_is_archived()
    {
        Assert.Equal(FullStop.AddSeconds(1), Window.EarliestTime);
        Assert.Equal(DiffStop.AddMinutes(10), Window.LatestTime);
        Assert.Equal(Lsn.Parse("0/3000138"), Window.EarliestLsn);
        Assert.Equal(Lsn.Parse("0/A000000"), Window.LatestLsn);
    }

    [Fact]
    public void A_time_picks_the_newest_backup_that_ended_before_it()
    {
        var early = Resolve(time: RestoreWindow.Format(FullStop.AddMinutes(5)));
        Assert.Equal(("20261202-060000F", "time"), (early.BackupSet, early.TargetType));
        var late = Resolve(time: "2026-12-02T07:05:00+00:00", inclusive: false);
        Assert.Equal("20261202-060000F_20261202-070000D", late.BackupSet);
        Assert.Equal("2026-12-02 07:05:00.000000+00", late.Target);
        Assert.False(late.Inclusive);
    }

    [Fact]
    public void A_name_and_an_lsn_pick_the_set_by_position_and_no_target_means_the_latest()
    {
        Assert.Equal(("20261202-060000F_20261202-070000D", "name", "before migration 42"), Project(Resolve(name: "before migration 42")));
        Assert.Equal(("20261202-060000F", "lsn", "0/5000000"), Project(Resolve(lsn: "0/5000000")));
        Assert.Equal(("20261202-060000F", "immediate", null), Project(Resolve(id: "20261202-060000F")));
        Assert.Equal(("20261202-060000F_20261202-070000D", "latest", null), Project(Resolve()));
    }

    [Theory]
    [InlineData("nope", null, null, null, "unknown --backup-id 'nope' for cluster 'db': known backups are 20261202-060000F, 20261202-060000F_20261202-070000D")]
    [InlineData("20261202-060000F", "2026-12-02T07:00:00Z", null, null, "--backup-id and --restore-target-time cannot go together")]
    [InlineData(null, "2026-12-01T00:00:00Z", null, null, "--restore-target-time 2026-12-01T00:00:00Z is outside the restorable window of cluster 'db': 2026-12-02T06:00:11Z to 2026-12-02T07:10:03Z")]
    [InlineData(null, "2026-12-02T07:00:00", null, null, "invalid --restore-target-time '2026-12-02T07:00:00': an RFC 3339 time with its offset")]
    [InlineData(null, null, "after lunch", null, "--restore-target-name 'after lunch' was never marked on cluster 'db': marked: before migration 42")]
    [InlineData(null, null, null, "0/1000000", "--restore-target-lsn 0/1000000 is outside the restorable window of cluster 'db': LSN 0/3000138 to 0/A000000")]
    [InlineData(null, null, null, "12345", "invalid --restore-target-lsn '12345'")]
    public void Bad_targets_are_refused_naming_the_value_and_what_is_allowed(string? id, string? time, string? name, string? lsn, string expected)
    {
        var ex = Assert.Throws<HangarException>(() => Resolve(id, time, name, lsn));
        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_to_restore_and_inclusive_without_a_target_are_refused()
    {
        var empty = Info with { Backups = [] };
        Assert.Contains("has no backup to restore from yet", Assert.Throws<HangarException>(() => RestoreTargets.Resolve("db", new RestoreRequestTarget(null, null, null, null, null), empty, RestoreWindow.Of(empty, DiffStop), [])).Message, StringComparison.Ordinal);
        Assert.Contains("--restore-target-inclusive needs", Assert.Throws<HangarException>(() => Resolve(inclusive: false)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("before migration 42", true)]
    [InlineData("", false)]
    [InlineData(" padded", false)]
    [InlineData("quote'd", false)]
    [InlineData("line\nbreak", false)]
    public void Mark_names_are_printable_and_short(string name, bool ok) => Assert.Equal(ok, RestoreTargets.MarkProblem(name) is null);

    private static (string, string, string?) Project(PostgresRestoreSource s) => (s.BackupSet, s.TargetType, s.Target);
}
