using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Hangar.State.Etcd;

namespace Hangar.State.Tests.Etcd;

/// <summary>Several endpoints: reads move past dead or failing members; writes only past members they never reached.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdStoreFailoverTests(EtcdFixture etcd) : IDisposable
{
    private readonly string _root = $"failover/{Guid.NewGuid():N}/";
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    private CancellationToken Ct => _timeout.Token;

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public async Task FirstEndpointRefusingConnections_EveryOperationUsesTheNext()
    {
        using var dead = FreePort.BindRefusing();
        using var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [FreePort.Url(dead), etcd.Server.ClientUrl] });

        var start = await store.RevisionAsync(Ct);
        Assert.True(await store.CreateAsync(_root + "k", Encoding.UTF8.GetBytes("v"), Ct));
        Assert.Equal("v", Encoding.UTF8.GetString((await store.GetAsync(_root + "k", Ct))!.Value));
        Assert.Single(await store.ListAsync(_root, Ct));
        Assert.True((await store.HealthAsync(Ct)).Healthy);

        // A fresh store has not yet learnt which endpoint works, so the watch itself has to fail over.
        using var fresh = new EtcdStore(new EtcdStoreOptions { Endpoints = [FreePort.Url(dead), etcd.Server.ClientUrl] });
        await foreach (var watchEvent in fresh.WatchAsync(_root, start, Ct))
        {
            Assert.Equal(_root + "k", watchEvent.Key);
            break;
        }
    }

    [Fact]
    public async Task FirstEndpointAnswering503_ReadGoesToTheNext_AndSticksThere()
    {
        await using var unavailable = await UnavailableEndpoint.StartAsync();
        using var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [unavailable.Url, etcd.Server.ClientUrl] });

        Assert.Null(await store.GetAsync(_root + "absent", Ct));
        Assert.Equal(1, unavailable.Requests);

        await store.ListAsync(_root, Ct);
        Assert.Equal(1, unavailable.Requests);
    }

    [Fact]
    public async Task FirstEndpointAnswering503_TxnIsNotResent()
    {
        await using var unavailable = await UnavailableEndpoint.StartAsync();
        using var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [unavailable.Url, etcd.Server.ClientUrl] });

        var error = await Assert.ThrowsAsync<EtcdException>(() => store.PutAsync(_root + "k", [1], Ct));

        Assert.Equal(14, error.GrpcCode);
        Assert.Equal(1, unavailable.Requests);
        using var direct = new EtcdStore(new EtcdStoreOptions { Endpoints = [etcd.Server.ClientUrl] });
        Assert.Null(await direct.GetAsync(_root + "k", Ct));
    }

    [Fact]
    public async Task FirstEndpointNeverAnswering_ReadTimesOutAndGoesToTheNext()
    {
        // Accepted by the kernel's backlog but never read: the request is sent and no answer comes.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var silentUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}");
        using var store = new EtcdStore(new EtcdStoreOptions
        {
            Endpoints = [silentUrl, etcd.Server.ClientUrl],
            RequestTimeout = TimeSpan.FromMilliseconds(300),
        });

        var elapsed = Stopwatch.StartNew();
        Assert.True(await store.RevisionAsync(Ct) > 0);
        Assert.InRange(elapsed.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));

        // The write after it goes straight to the endpoint that answered.
        await store.PutAsync(_root + "k", [1], Ct);
    }

    [Fact]
    public async Task NoEndpointReachable_OperationsThrow_HealthReportsUnhealthy()
    {
        using var dead1 = FreePort.BindRefusing();
        using var dead2 = FreePort.BindRefusing();
        using var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [FreePort.Url(dead1), FreePort.Url(dead2)] });

        var error = await Assert.ThrowsAsync<EtcdException>(() => store.GetAsync("k", Ct));
        Assert.Contains(FreePort.Url(dead2).Authority, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<EtcdException>(() => store.PutAsync("k", [1], Ct));
        await Assert.ThrowsAsync<EtcdException>(async () =>
        {
            await foreach (var _ in store.WatchAsync("k", 0, Ct))
            {
            }
        });

        var health = await store.HealthAsync(Ct);
        Assert.False(health.Healthy);
        Assert.Equal("etcd", health.Backend);
        Assert.Equal(2, health.Endpoints.Count);
        Assert.NotNull(health.Error);
    }
}
