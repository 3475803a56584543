using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>One daemon and one development cluster "src" created with --enable-backups, its first full backup taken.</summary>
public sealed class BackupCluster : IAsyncLifetime
{
    public const string Name = "src";

    public HangarDaemon Hangar { get; private set; } = null!;

    /// <summary>The superuser URL `postgres create` printed.</summary>
    public string Url { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Hangar = await HangarDaemon.StartNewAsync();
        var created = await Hangar.JsonAsync("postgres", "create", "--name", Name, "--enable-backups");
        Url = created.GetProperty("connectionString").GetString()!;
        await Poll.UntilAsync(async () => (await ListAsync()).GetProperty("backups").GetArrayLength() > 0, TimeSpan.FromMinutes(3), "the first full backup");
    }

    public Task<JsonElement> ListAsync() => ListAsync(Hangar, Name);

    /// <summary>`backup list --json` of any cluster; no backups while it fails (backups still being set up).</summary>
    public static async Task<JsonElement> ListAsync(HangarDaemon hangar, string name)
    {
        var result = await hangar.RunAsync("postgres", "backup", "list", "-a", name, "--json");
        return result.ExitCode == 0 ? JsonDocument.Parse(result.Stdout).RootElement.Clone() : JsonDocument.Parse("""{"backups":[]}""").RootElement.Clone();
    }

    public async Task DisposeAsync() => await Hangar.DisposeAsync();
}
