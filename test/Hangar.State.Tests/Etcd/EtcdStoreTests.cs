using System.Text;
using Hangar.State.Etcd;

namespace Hangar.State.Tests.Etcd;

/// <summary>etcd-specific behaviour beyond the shared contract.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdStoreTests(EtcdFixture etcd) : IDisposable
{
    private readonly string _root = $"etcd/{Guid.NewGuid():N}/";
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    private CancellationToken Ct => _timeout.Token;

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public async Task List_LargerThanOnePage_ReturnsEveryKeyInOrder()
    {
        using var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [etcd.Server.ClientUrl], RangePageSize = 3 });
        var keys = Enumerable.Range(0, 10).Select(i => $"{_root}p/{i:D2}").ToArray();
        foreach (var key in keys.Reverse())
        {
            await store.PutAsync(key, Encoding.UTF8.GetBytes(key), Ct);
        }

        await store.PutAsync(_root + "p0", [1], Ct);

        var listed = await store.ListAsync(_root + "p/", Ct);
        Assert.Equal(keys, listed.Select(e => e.Key));
    }

    [Fact]
    public async Task Health_ReportsServerVersion()
    {
        using var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [etcd.Server.ClientUrl] });

        var health = await store.HealthAsync(Ct);

        Assert.True(health.Healthy, health.Error);
        Assert.Equal("etcd", health.Backend);
        Assert.StartsWith("3.", health.Version, StringComparison.Ordinal);
        Assert.Equal([etcd.Server.ClientUrl.ToString()], health.Endpoints);
    }

    [Fact]
    public async Task Watch_OutlivesTheRequestTimeout()
    {
        using var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [etcd.Server.ClientUrl], RequestTimeout = TimeSpan.FromMilliseconds(200) });
        var start = await store.RevisionAsync(Ct);
        await using var watch = store.WatchAsync(_root, start, Ct).GetAsyncEnumerator(Ct);
        var first = watch.MoveNextAsync().AsTask();

        // Not waiting for a state: the point is that time passes beyond the per-request timeout while the stream is idle.
        await Task.Delay(TimeSpan.FromMilliseconds(600), Ct);
        await store.PutAsync(_root + "late", [1], Ct);

        Assert.True(await first.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(_root + "late", watch.Current.Key);
    }

    [Fact]
    public async Task Watch_WhenEtcdDies_Throws()
    {
        // Its own etcd: killing the shared one would break the rest of the collection.
        await using var own = await EtcdServer.StartAsync(Ct);
        using var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [own.ClientUrl] });
        var start = await store.RevisionAsync(Ct);
        await store.PutAsync("k", [1], Ct);
        await using var watch = store.WatchAsync("", start, Ct).GetAsyncEnumerator(Ct);
        Assert.True(await watch.MoveNextAsync());

        var next = watch.MoveNextAsync().AsTask();
        await own.DisposeAsync();

        await Assert.ThrowsAsync<EtcdException>(() => next.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }
}
