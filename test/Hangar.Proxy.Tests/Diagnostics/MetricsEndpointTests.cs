using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Hangar.Proxy.Diagnostics;
using Xunit;

namespace Hangar.Proxy.Tests.Diagnostics;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Serves_the_proxy_meter_to_the_token_only()
    {
        using var metrics = new ProxyMetrics("db", meterFactory: null);
        // The endpoint listens from its start (as in ProxyHost, before the tracker's first change); what was measured
        // before that is not seen.
        await using var endpoint = MetricsEndpoint.Start(new IPEndPoint(IPAddress.Loopback, 0), "hgm_secret", metrics.Meter);
        metrics.LeaderChanged(hasLeader: false, DateTimeOffset.UnixEpoch);
        metrics.LeaderChanged(hasLeader: true, DateTimeOffset.UnixEpoch.AddSeconds(2.5));
        using var http = new HttpClient { BaseAddress = new Uri($"http://{endpoint.EndPoint}/") };

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("metrics")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "nope") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        using var other = new HttpRequestMessage(HttpMethod.Get, "other") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "hgm_secret") } };
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(other)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, "metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "hgm_secret") } };
        using var response = await http.SendAsync(right);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("hangar_proxy_leader_changes_total{cluster=\"db\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("hangar_proxy_failover_duration_seconds_sum{cluster=\"db\"} 2.5\n", text, StringComparison.Ordinal);
        Assert.Contains("hangar_proxy_steered_connections{cluster=\"db\"} 0\n", text, StringComparison.Ordinal);
    }
}
