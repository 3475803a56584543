using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// One daemon and one production cluster "prod" (3 nodes, synchronous), attached to app "ledger" with a table
/// "entries". Tests leave it healthy with 3 nodes, whichever node leads.
/// </summary>
public sealed class ProductionCluster : IAsyncLifetime
{
    public const string Name = "prod";
    public const string App = "ledger";

    public HangarDaemon Hangar { get; private set; } = null!;

    public string Url { get; private set; } = null!;

    public TimeSpan CreateTime { get; private set; }

    /// <summary>postgres://postgres:PASSWORD@host:clusterport/postgres, as create printed it.</summary>
    public string SuperuserUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Hangar = await HangarDaemon.StartNewAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        SuperuserUrl = (await Hangar.JsonAsync("postgres", "create", "--name", Name, "--initial-cluster-size", "3")).GetProperty("connectionString").GetString()!;
        CreateTime = clock.Elapsed;
        (await Hangar.RunAsync("apps", "create", App)).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", Name, "--app", App)).ShouldSucceed();
        Url = await Pg.DatabaseUrlAsync(Hangar, App);
        await Pg.ExecAsync(Url, "CREATE TABLE entries(id bigint primary key, note text)");
        await Pg.ExecAsync(Url, "INSERT INTO entries SELECT g, 'seed' FROM generate_series(1, 1000) g");
    }

    /// <summary>Status once Patroni reports a running leader and every node running with no lag.</summary>
    public async Task<System.Text.Json.JsonElement> HealthyAsync(int nodes, TimeSpan limit) =>
        await Poll.UntilAsync(
            () => Hangar.JsonAsync("postgres", "status", "-a", Name),
            s => s.GetProperty("nodes").GetArrayLength() == nodes
                && s.GetProperty("nodes").EnumerateArray().All(n => n.GetProperty("state").GetString() is "running" or "streaming" && (n.TryGetProperty("lagBytes", out var lag) ? lag.GetInt64() : 0) == 0)
                && s.GetProperty("nodes").EnumerateArray().Count(n => n.GetProperty("role").GetString() == "leader") == 1
                && s.TryGetProperty("proxyLeader", out var proxy) && proxy.GetString() == s.GetProperty("leader").GetString(),
            limit,
            $"{Name} healthy with {nodes} nodes");

    public async Task DisposeAsync() => await Hangar.DisposeAsync();
}
