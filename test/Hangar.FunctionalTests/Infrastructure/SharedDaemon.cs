namespace Hangar.FunctionalTests.Infrastructure;

/// <summary>One daemon for the tests that do not kill it; each test uses its own names.</summary>
public sealed class SharedDaemon : Xunit.IAsyncLifetime
{
    public HangarDaemon Daemon { get; private set; } = null!;

    public async Task InitializeAsync() => Daemon = await HangarDaemon.StartNewAsync();

    public async Task DisposeAsync() => await Daemon.DisposeAsync();
}

[Xunit.CollectionDefinition(Name)]
public sealed class SharedDaemonCollection : Xunit.ICollectionFixture<SharedDaemon>
{
    public const string Name = "shared daemon";
}
