using Hangar.Cli.Commands.Up;
using Hangar.Cli.Infrastructure;
using Hangar.Core.Errors;
using Hangar.Daemon.Hosting;
using Xunit;

namespace Hangar.Cli.Tests.Commands.Up;

/// <summary>The flags of destroyed clusters' backups and of scheduled drills.</summary>
public sealed class BackupFlagsTests
{
    [Theory]
    [InlineData("postgres destroy db --yes --purge-backups")]
    [InlineData("postgres backup list -a db --deleted --json")]
    [InlineData("postgres backup restore -a db db2 --deleted --restore-target-time 2026-12-02T05:40:00Z")]
    [InlineData("up --data-dir /tmp/x --backup-drill-days 0")]
    public void Parse(string line) => Assert.Empty(CliApp.Build().Parse(line.Split(' ')).Errors);

    [Theory]
    [InlineData(-1)]
    [InlineData(366)]
    public void A_drill_interval_out_of_range_is_refused_naming_the_range(int days)
    {
        var error = Assert.Throws<HangarException>(() => DaemonOptionsValidator.Validate(new DaemonOptions { DataDir = "/tmp/x", BackupDrillDays = days }));
        Assert.Equal($"invalid --backup-drill-days {days}: must be 0-365", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(365)]
    public void A_drill_interval_in_range_is_taken(int days) =>
        DaemonOptionsValidator.Validate(new DaemonOptions { DataDir = "/tmp/x", BackupDrillDays = days });
}
