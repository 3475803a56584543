using Hangar.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// Disaster: the machine's copy of a cluster is gone (every node killed, every data directory deleted) while a
/// recording client writes; the repository alone restores it into a new cluster, and every commit acknowledged more
/// than the RPO goal before the loss must be there. A lost machine is not a `postgres destroy`, so the loss is
/// made by hand. Its own daemon (class fixture).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBackupDisasterTests(BackupCluster cluster, ITestOutputHelper output) : IClassFixture<BackupCluster>
{
    /// <summary>The RPO goal: archive_timeout=5s switches a segment at most every 5 s while anything is written.</summary>
    private static readonly TimeSpan RpoGoal = TimeSpan.FromSeconds(5);

    private HangarDaemon Hangar => cluster.Hangar;

    [Fact]
    public async Task After_every_node_and_its_data_are_lost_the_repository_restores_every_commit_acknowledged_before_the_rpo_goal()
    {
        await Pg.ExecAsync(cluster.Url, RecordingWriter.Table);
        var writer = new RecordingWriter { Url = cluster.Url, Label = "disaster", StatementTimeoutSeconds = 5 };
        using var stop = new CancellationTokenSource();
        var writing = writer.RunAsync(stop.Token);

        // Long enough for several archive_timeout switches under the writer.
        await Poll.UntilAsync(() => writer.Acknowledged.Count > 50 && writer.LastAcknowledged > TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(60), "15 s of commits");

        // The machine dies: Patroni frozen first so it cannot restart PostgreSQL, the postmaster killed, the data deleted.
        var node = Path.GetDirectoryName(Path.GetDirectoryName(BackupRepositoryObjects.NodeConfig(Hangar, BackupCluster.Name)))!;
        var patroni = Hangar.ChildPid("pg-src-1") ?? throw new InvalidOperationException("no pid for pg-src-1");
        var postmaster = int.Parse(File.ReadLines(Path.Combine(node, "data", "postmaster.pid")).First());
        HangarDaemon.Signal(patroni, "STOP");
        HangarDaemon.Signal(postmaster, "9");
        var lostAt = writer.Clock.Elapsed;
        await stop.CancelAsync();
        await writing;
        Directory.Delete(Path.Combine(node, "data"), recursive: true);
        HangarDaemon.Signal(patroni, "9");

        var restored = await Hangar.JsonAsync("postgres", "backup", "restore", "-a", BackupCluster.Name, "after-loss");
        try
        {
            var lost = await RecordingWriter.LostAsync(restored.GetProperty("connectionString").GetString()!, [writer]);
            var oldestLost = lost.Count == 0 ? lostAt : lost.Min(writer.AcknowledgedAt);
            var rpo = lostAt - oldestLost;
            output.WriteLine($"RPO measured: {rpo.TotalSeconds:0.00} s of acknowledged commits missing ({lost.Count} of {writer.Acknowledged.Count}); goal {RpoGoal.TotalSeconds:0} s");
            Assert.True(rpo <= RpoGoal, $"commits acknowledged {rpo.TotalSeconds:0.00} s before the loss are missing from the restore (goal {RpoGoal.TotalSeconds:0} s)");
        }
        finally
        {
            (await Hangar.RunAsync("postgres", "destroy", "after-loss", "--yes")).ShouldSucceed();
        }
    }
}
