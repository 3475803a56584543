using Hangar.Proxy.Configuration;

namespace Hangar.Proxy.Tests.Configuration;

public sealed class ProxyConfigReaderTests
{
    [Fact]
    public void A_complete_config_is_read_with_its_values()
    {
        var result = ProxyConfigReader.Parse("""
            {
              "cluster": "db",
              "listen": "127.0.0.1:15432",
              "nodes": [
                { "name": "db-1", "host": "10.0.0.1", "port": 5433, "patroniUrl": "http://10.0.0.1:8008" },
                { "name": "db-2", "host": "db-2.internal", "port": 5433, "patroniUrl": "https://10.0.0.2:8008/" }
              ],
              "pollIntervalMs": 120,
              "probeTimeoutMs": 700,
              "connectTimeoutMs": 2000,
              "leaderWaitTimeoutMs": 12000,
              "leaderUnreachableGraceMs": 2500
            }
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        var config = result.Config;
        Assert.Equal("db", config.Cluster);
        Assert.Equal("127.0.0.1:15432", config.Listen.ToString());
        Assert.Equal(new ProxyNodeConfig("db-2", "db-2.internal", 5433, new Uri("https://10.0.0.2:8008/")), config.Nodes[1]);
        Assert.Equal(TimeSpan.FromMilliseconds(120), config.PollInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(700), config.ProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), config.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(12), config.LeaderWaitTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2.5), config.LeaderUnreachableGrace);
        Assert.Equal(new Uri("https://10.0.0.2:8008/primary"), Hangar.Proxy.Leadership.PatroniProbe.PrimaryUri(config.Nodes[1].PatroniUrl));
    }

    [Fact]
    public void Omitted_timings_take_the_defaults()
    {
        var result = ProxyConfigReader.Parse("""{ "cluster": "db", "listen": "[::]:0", "nodes": [] }""");

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal(ProxyConfigReader.DefaultPollInterval, result.Config.PollInterval);
        Assert.Equal(ProxyConfigReader.DefaultLeaderWaitTimeout, result.Config.LeaderWaitTimeout);
        Assert.Empty(result.Config.Nodes);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var result = ProxyConfigReader.Parse("""
            {
              "cluster": "Bad_Name",
              "listen": "localhost",
              "nodes": [
                { "name": "db-1", "host": "h", "port": 0, "patroniUrl": "ftp://h/" },
                { "name": "db-1", "host": "", "port": 5432, "patroniUrl": "http://h:8008" }
              ],
              "pollIntervalMs": 0
            }
            """);

        Assert.False(result.IsValid);
        Assert.Collection(
            result.Problems,
            p => Assert.Contains("invalid cluster name 'Bad_Name'", p),
            p => Assert.Contains("invalid listen 'localhost'", p),
            p => Assert.Contains("nodes[0].port must be 1-65535, got 0", p),
            p => Assert.Contains("nodes[0].patroniUrl", p),
            p => Assert.Contains("nodes[1].name 'db-1' is used by another node", p),
            p => Assert.Contains("nodes[1].host is required", p),
            p => Assert.Contains("pollIntervalMs must be 10-60000, got 0", p));
    }

    [Fact]
    public void A_misspelt_field_is_an_error_not_a_silent_default()
    {
        var result = ProxyConfigReader.Parse("""{ "cluster": "db", "listen": "127.0.0.1:0", "nodes": [], "pollIntervalMS": 100 }""");

        Assert.False(result.IsValid);
        Assert.Contains("pollIntervalMS", Assert.Single(result.Problems));
    }

    [Fact]
    public void Configs_with_the_same_content_are_equal()
    {
        const string json = """{ "cluster": "db", "listen": "127.0.0.1:0", "nodes": [ { "name": "a", "host": "h", "port": 1, "patroniUrl": "http://h/" } ] }""";
        Assert.Equal(ProxyConfigReader.Parse(json).Config, ProxyConfigReader.Parse(json).Config);
        Assert.NotEqual(ProxyConfigReader.Parse(json).Config, ProxyConfigReader.Parse(json.Replace("\"port\": 1", "\"port\": 2", StringComparison.Ordinal)).Config);
    }
}
