using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>One daemon and one development (single-node) cluster "dev", shared by the tests where HA is not the point.</summary>
public sealed class DevelopmentCluster : IAsyncLifetime
{
    public const string Name = "dev";

    public HangarDaemon Hangar { get; private set; } = null!;

    /// <summary>The human output of `postgres create` (printed once).</summary>
    public CliResult Created { get; private set; } = null!;

    public JsonElement Status { get; private set; }

    public async Task InitializeAsync()
    {
        Hangar = await HangarDaemon.StartNewAsync();
        Created = (await Hangar.RunAsync("postgres", "create", "--name", Name)).ShouldSucceed();
        Status = await Hangar.JsonAsync("postgres", "status", "-a", Name);
    }

    public async Task DisposeAsync() => await Hangar.DisposeAsync();
}
