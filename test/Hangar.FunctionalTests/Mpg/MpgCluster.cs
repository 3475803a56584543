using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Hangar.FunctionalTests.Postgres;
using Xunit;

namespace Hangar.FunctionalTests.Mpg;

/// <summary>
/// One daemon and one managed cluster "pool" (basic plan: 3 nodes, synchronous, max_connections 100, pool size 20)
/// attached to app "shop": DATABASE_URL through PgBouncer, DIRECT_DATABASE_URL through the cluster port. Tests leave
/// it healthy with 3 nodes and the pool running, whichever node leads.
/// </summary>
public sealed class MpgCluster : IAsyncLifetime
{
    public const string Name = "pool";
    public const string App = "shop";

    public HangarDaemon Hangar { get; private set; } = null!;

    public string PooledUrl { get; private set; } = null!;

    public string DirectUrl { get; private set; } = null!;

    public string CreateOutput { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Hangar = await HangarDaemon.StartNewAsync();
        CreateOutput = (await Hangar.RunAsync("mpg", "create", "--name", Name, "--plan", "basic")).ShouldSucceed().Stdout;
        (await Hangar.RunAsync("apps", "create", App)).ShouldSucceed();
        (await Hangar.RunAsync("mpg", "attach", Name, "--app", App)).ShouldSucceed();
        PooledUrl = await Pg.DatabaseUrlAsync(Hangar, App);
        DirectUrl = await Pg.DatabaseUrlAsync(Hangar, App, "DIRECT_DATABASE_URL");
        await Pg.ExecAsync(DirectUrl, "CREATE TABLE orders(id bigserial primary key, note text)");
    }

    /// <summary>mpg status once Patroni reports 3 running nodes without lag, the proxy on the leader and the pool running.</summary>
    public async Task<JsonElement> HealthyAsync(TimeSpan limit) =>
        await Poll.UntilAsync(
            () => Hangar.JsonAsync("mpg", "status", Name),
            s =>
            {
                var pg = s.GetProperty("postgres");
                var nodes = pg.GetProperty("nodes");
                return s.GetProperty("poolState").GetString() == "running"
                    && nodes.GetArrayLength() == 3
                    && nodes.EnumerateArray().All(n => n.GetProperty("state").GetString() is "running" or "streaming" && (n.TryGetProperty("lagBytes", out var lag) ? lag.GetInt64() : 0) == 0)
                    && nodes.EnumerateArray().Count(n => n.GetProperty("role").GetString() == "leader") == 1
                    && pg.TryGetProperty("proxyLeader", out var proxy) && proxy.GetString() == pg.GetProperty("leader").GetString();
            },
            limit,
            $"{Name} healthy with its pool");

    public async Task DisposeAsync() => await Hangar.DisposeAsync();
}
