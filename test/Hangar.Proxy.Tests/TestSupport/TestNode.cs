using Hangar.Proxy.Configuration;

namespace Hangar.Proxy.Tests.TestSupport;

internal sealed record TestNode(string Name, FakePatroni Patroni, EchoBackend Backend) : IAsyncDisposable
{
    public ProxyNodeConfig Config => new(Name, "127.0.0.1", Backend.Port, Patroni.Url);

    public static async Task<TestNode> StartAsync(string name, bool isLeader) =>
        new(name, await FakePatroni.StartAsync(isLeader), new EchoBackend(name));

    public async ValueTask DisposeAsync()
    {
        await Patroni.DisposeAsync();
        await Backend.DisposeAsync();
    }
}
