using Hangar.Daemon.Dashboard;
using Xunit;

namespace Hangar.Daemon.Tests.Dashboard;

public sealed class DashboardRenderingTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("/dashboard/postgres/db", true)]
    [InlineData("/dashboard/storage/b?prefix=a%2F", true)]
    [InlineData("https://evil.example/", false)]
    [InlineData("//evil.example/dashboard/", false)]
    [InlineData("/dashboard/\\evil", false)]
    [InlineData("/dashboard/x\r\nSet-Cookie: a=b", false)]
    [InlineData("/v1/status", false)]
    [InlineData(null, false)]
    public void OnlyDashboardPathsAreRedirectTargets(string? path, bool local) => Assert.Equal(local, DashboardPaths.IsLocal(path));

    [Fact]
    public void LoginKeepsWhereTheBrowserWasGoing_ButNeverAnotherSite()
    {
        Assert.Equal("/dashboard/login?next=%2Fdashboard%2Fpostgres%2Fdb", DashboardPaths.Login("/dashboard/postgres/db"));
        Assert.Equal("/dashboard/login", DashboardPaths.Login("//evil.example/"));
        Assert.Equal("/dashboard/login", DashboardPaths.Login(DashboardPaths.Overview));
    }

    [Fact]
    public void AChartWithPoints_IsAPolylinePerSeries_WithEscapedLabels()
    {
        var spec = new ChartSpec("Connections", "q", "node", DashboardHtml.Number);
        var t = Now.ToUnixTimeSeconds();
        var answer = new PrometheusQueries.Answer(
        [
            new(new Dictionary<string, string> { ["node"] = "<script>db-1" }, [(t - 60, 1), (t - 30, 4), (t, 2)]),
            new(new Dictionary<string, string> { ["node"] = "db-2" }, [(t, 3)]),
        ], null);
        var html = SvgChart.Render(spec, answer, ChartRange.Parse("1h"), Now);
        Assert.Contains("data-series=\"2\" data-points=\"4\"", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("<polyline").Length - 1);
        Assert.Contains("&lt;script&gt;db-1", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void AChartWithoutPrometheus_SaysMetricsUnavailable_AndWhy()
    {
        var html = SvgChart.Render(new ChartSpec("Connections", "q", null, DashboardHtml.Number), PrometheusQueries.Answer.Missing("Prometheus at http://x is not answering"), ChartRange.Parse(null), Now);
        Assert.Contains("metrics unavailable: Prometheus at http://x is not answering", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1h", 3600, "60s")]
    [InlineData("24h", 86400, "1440s")]
    [InlineData("7d", 604800, "10080s")]
    [InlineData("1y", 3600, "60s")]
    public void RangesHaveAboutTwoHundredFortyPoints_AndARateWindowOfSeveralSteps(string name, int seconds, string window)
    {
        var range = ChartRange.Parse(name);
        Assert.Equal(seconds, range.Duration.TotalSeconds);
        Assert.Equal(240, range.Duration / range.Step, 0);
        Assert.Equal(window, range.RateWindow);
    }

    [Fact]
    public void PromQlLabelValuesCannotCloseTheirQuotes() => Assert.Equal("a\\\"} or vector(1) #\\\\", PromQl.Label("a\"} or vector(1) #\\"));
}
