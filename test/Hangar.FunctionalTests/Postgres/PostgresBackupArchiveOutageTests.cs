using System.Globalization;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// The repository out of reach (the S3 server frozen, as a hung disk or a stalled host): the `backup` check goes
/// critical and says since when, commits go on, and once the server is back the archive catches up with no gap.
/// Its own daemon (class fixture) and the Postgres collection (one class at a time): freezing the S3 server touches
/// nothing else.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBackupArchiveOutageTests(BackupCluster cluster, ITestOutputHelper output) : IClassFixture<BackupCluster>
{
    private HangarDaemon Hangar => cluster.Hangar;

    [Fact]
    public async Task An_unreachable_repository_makes_the_backup_check_critical_and_the_archive_catches_up_without_a_gap()
    {
        await Pg.ExecAsync(cluster.Url, RecordingWriter.Table);
        var writer = new RecordingWriter { Url = cluster.Url, Label = "outage", StatementTimeoutSeconds = 5 };
        using var stop = new CancellationTokenSource();
        var writing = writer.RunAsync(stop.Token);
        await Poll.UntilAsync(() => writer.Acknowledged.Count > 20, TimeSpan.FromSeconds(30), "the writer's first commits");

        var s3 = Hangar.ChildPid("s3") ?? throw new InvalidOperationException("no pid for the S3 server");
        var frozenAt = DateTimeOffset.UtcNow;
        HangarDaemon.Signal(s3, "STOP");
        System.Text.Json.JsonElement critical;
        try
        {
            critical = await Poll.UntilAsync(BackupCheckAsync, c => c.GetProperty("status").GetString() == "critical", TimeSpan.FromSeconds(100), "the backup check to go critical");
            var ackedWhileDown = writer.Acknowledged.Count;
            await Poll.UntilAsync(() => writer.Acknowledged.Count > ackedWhileDown + 20, TimeSpan.FromSeconds(30), "commits while the repository is down");
        }
        finally
        {
            HangarDaemon.Signal(s3, "CONT");
        }

        var text = critical.GetProperty("output").GetString()!;
        output.WriteLine($"critical {(DateTimeOffset.UtcNow - frozenAt).TotalSeconds:0} s after the freeze: {text}");
        const string prefix = "WAL archiving fails since ";
        Assert.StartsWith(prefix, text, StringComparison.Ordinal);
        var since = DateTimeOffset.Parse(text.Substring(prefix.Length, 20), CultureInfo.InvariantCulture);
        Assert.InRange(since, frozenAt.AddSeconds(-1), DateTimeOffset.UtcNow);

        var recovered = await Poll.UntilAsync(BackupCheckAsync, c => c.GetProperty("status").GetString() == "passing", TimeSpan.FromSeconds(100), "the backup check to pass again");
        output.WriteLine($"passing again: {recovered.GetProperty("output").GetString()}");
        var check = await BackupRepositoryObjects.CheckAsync(Hangar, BackupCluster.Name);
        Assert.True(check.ExitCode == 0, $"pgbackrest check: {check.Stdout}{check.Stderr}");

        await stop.CancelAsync();
        await writing;
        var restored = await Hangar.JsonAsync("postgres", "backup", "restore", "-a", BackupCluster.Name, "after-outage");
        try
        {
            var lost = await RecordingWriter.LostAsync(restored.GetProperty("connectionString").GetString()!, [writer]);
            output.WriteLine($"{writer.Acknowledged.Count} commits acknowledged, {lost.Count} missing from the restore of the latest point");
            Assert.Empty(lost);
        }
        finally
        {
            (await Hangar.RunAsync("postgres", "destroy", "after-outage", "--yes")).ShouldSucceed();
        }
    }

    // `checks list` exits 1 while any check is critical (as a monitoring probe would), with the list on stdout all the same.
    private async Task<System.Text.Json.JsonElement> BackupCheckAsync()
    {
        var listed = await Hangar.RunAsync("checks", "list", "-a", BackupCluster.Name, "--json");
        Assert.True(listed.ExitCode is 0 or 1, $"checks list: exit {listed.ExitCode}: {listed.Stderr}");
        return System.Text.Json.JsonDocument.Parse(listed.Stdout).RootElement.Clone().EnumerateArray().Single(c => c.GetProperty("name").GetString() == "backup");
    }
}
