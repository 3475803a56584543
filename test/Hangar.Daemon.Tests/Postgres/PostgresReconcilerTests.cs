using System.Security.Cryptography;
using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Platform;
using Hangar.Daemon.Postgres;
using Hangar.Daemon.Security;
using Hangar.Daemon.Volumes;
using Hangar.State;
using Hangar.State.InMemory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Hangar.Daemon.Tests.Postgres;

/// <summary>The Postgres reconcile steps on the in-memory store and a fake clock, with fake processes and Patroni.</summary>
public sealed class PostgresReconcilerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hangar-pgrec-").FullName;
    private readonly InMemoryStore _kv = new();
    private readonly RecordStore _store;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakePostgresNodes _nodes = new();
    private readonly PostgresReconciler _reconciler;

    public PostgresReconcilerTests()
    {
        _store = new RecordStore(_kv);
        var options = new DaemonOptions { DataDir = _root, PortRangeFirst = 47100, PortRangeLast = 47199 };
        var attachments = new AttachmentService(_store, new AppService(_store, _time), new SecretBox(RandomNumberGenerator.GetBytes(32)), _time);
        _reconciler = new PostgresReconciler(
            _kv, _store, _nodes, new VolumeClaims(_store, options, _time), new PortAllocator(_store, options, _time), attachments, NullLogger<PostgresReconciler>.Instance, _time);
    }

    public void Dispose()
    {
        _nodes.Hung.TrySetResult();
        _reconciler.WhenIdleAsync().Wait(TimeSpan.FromSeconds(10));
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_cluster_stuck_in_bootstrap_does_not_delay_another_clusters_scale()
    {
        _nodes.Hanging["stuck"] = true;
        await _store.CreateAsync(PostgresKeys.Cluster("stuck"), Cluster("stuck", nodes: 1), CancellationToken.None);
        await _store.CreateAsync(PostgresKeys.Cluster("busy"), Cluster("busy", nodes: 1), CancellationToken.None);
        await UntilAsync(async () => (await GetAsync("busy")).Phase == PostgresPhase.Running);

        // The stuck cluster's step is inside a Patroni call that does not answer.
        await UntilAsync(() => Task.FromResult(_reconciler.IsStepping(PostgresKeys.Cluster("stuck"))));
        await _store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster("busy"), r => r with { NodeCount = 3, Generation = r.Generation + 1 }, CancellationToken.None);
        await UntilAsync(async () => await GetAsync("busy") is { AppliedGeneration: 2, Nodes.Count: 3 });

        var busy = await GetAsync("busy");
        Assert.Null(busy.Step);
        Assert.Equal(["busy-1", "busy-2", "busy-3"], busy.Nodes.Select(n => n.Name));
        Assert.True(_reconciler.IsStepping(PostgresKeys.Cluster("stuck")));
        Assert.Equal(PostgresPhase.Pending, (await GetAsync("stuck")).Phase);

        // Scaling down again removes the newest replicas, one per step, and keeps the leader.
        await _store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster("busy"), r => r with { NodeCount = 1, Generation = r.Generation + 1 }, CancellationToken.None);
        await UntilAsync(async () => await GetAsync("busy") is { AppliedGeneration: 3, Nodes.Count: 1 });
        Assert.Equal(["busy-3", "busy-2"], _nodes.Stopped);
        Assert.True(_reconciler.IsStepping(PostgresKeys.Cluster("stuck")));
    }

    [Fact]
    public async Task A_create_that_never_elects_a_leader_fails_after_the_create_limit_and_its_destroy_removes_everything()
    {
        _nodes.Leaderless["db"] = true;
        await _store.CreateAsync(PostgresKeys.Cluster("db"), Cluster("db", nodes: 2), CancellationToken.None);
        await UntilAsync(async () => (await GetAsync("db")).Step == PostgresReconciler.Bootstrapping);
        var entered = (await GetAsync("db")).StepSince;

        _time.Advance(PostgresReconciler.CreateLimit - TimeSpan.FromSeconds(1));
        await PassesAsync(3);
        Assert.Equal(PostgresPhase.Pending, (await GetAsync("db")).Phase);

        _time.Advance(TimeSpan.FromSeconds(2));
        await UntilAsync(async () => (await GetAsync("db")).Phase == PostgresPhase.Failed);
        var failed = await GetAsync("db");
        Assert.Contains("did not become healthy within 4 minutes", failed.Error, StringComparison.Ordinal);
        Assert.Equal(entered, failed.StepSince);
        Assert.Empty(await _store.ListAsync<PortRecord>(StoreKeys.Ports, CancellationToken.None));
        Assert.All(await _store.ListAsync<VolumeRecord>(StoreKeys.Volumes, CancellationToken.None), v => Assert.Equal(VolumePhase.Destroying, v.Value.Phase));
        Assert.Empty(_nodes.SupervisedNames());

        // The caller reported the failure and marked it for destruction: the reconciler deletes it.
        await _store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster("db"), r => r with { Phase = PostgresPhase.Destroying }, CancellationToken.None);
        await UntilAsync(async () => await _store.GetAsync<PostgresRecord>(PostgresKeys.Cluster("db"), CancellationToken.None) is null);
    }

    [Fact]
    public async Task A_failed_create_nobody_reported_is_destroyed_after_a_minute()
    {
        var failed = Cluster("gone", nodes: 1) with { Phase = PostgresPhase.Failed, Error = "boom", FailedAt = _time.GetUtcNow() };
        await _store.CreateAsync(PostgresKeys.Cluster("gone"), failed, CancellationToken.None);
        await PassesAsync(3);
        Assert.NotNull(await _store.GetAsync<PostgresRecord>(PostgresKeys.Cluster("gone"), CancellationToken.None));

        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await UntilAsync(async () => await _store.GetAsync<PostgresRecord>(PostgresKeys.Cluster("gone"), CancellationToken.None) is null);
    }

    private static PostgresRecord Cluster(string name, int nodes) => new()
    {
        Name = name,
        Region = "local",
        CreatedAt = DateTimeOffset.UnixEpoch,
        Preset = "custom",
        NodeCount = nodes,
        VolumeSizeGb = 1,
        Synchronous = false,
        CredentialsCiphertext = "-",
        CertificateCiphertext = "-",
    };

    /// <summary>What the volume reconciler would do: every asked-for volume made.</summary>
    private async Task MakeVolumesAsync()
    {
        foreach (var volume in await _store.ListAsync<VolumeRecord>(StoreKeys.Volumes, CancellationToken.None))
        {
            if (volume.Value.Phase == VolumePhase.Pending)
            {
                await _store.MutateAsync<VolumeRecord>(StoreKeys.Volume(volume.Value.Id), v => v with { Phase = VolumePhase.Created }, CancellationToken.None);
            }
        }
    }

    /// <summary>Passes with every step finished in between (no step hangs in the tests that use this).</summary>
    private async Task PassesAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _reconciler.PassOnceAsync(false, CancellationToken.None);
            await _reconciler.WhenIdleAsync();
        }
    }

    /// <summary>Passes as the loop would run them (volumes made, the clock moving by the requeue delay) until the condition holds.</summary>
    private async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 20s");
            await MakeVolumesAsync();
            await _reconciler.PassOnceAsync(false, CancellationToken.None);
            await Task.Delay(10);
            _time.Advance(TimeSpan.FromMilliseconds(250));
        }
    }

    private async Task<PostgresRecord> GetAsync(string name) => (await _store.GetAsync<PostgresRecord>(PostgresKeys.Cluster(name), CancellationToken.None))!.Value;
}
