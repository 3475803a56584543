using System.Net;
using Hangar.FunctionalTests.Infrastructure;
using Hangar.FunctionalTests.Postgres;
using Microsoft.Playwright;
using Xunit;

namespace Hangar.FunctionalTests.Dashboard;

/// <summary>
/// The dashboard in a real browser: log in with the API token, open every page, see what the fixture made, charts drawn
/// from a real Prometheus, "Test restore" running a real drill to its end; then the same page with Prometheus stopped.
/// One class in two files (the browser here, plain HTTP in DashboardTests.Security.cs) so both share one fixture.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class DashboardTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private string Url(string path) => fixture.ApiUrl + path;

    [Fact]
    public async Task Browser_LogsIn_SeesEveryPage_AndTestRestorePasses()
    {
        await using var context = await NewContextAsync(1280, 900);
        var page = await context.NewPageAsync();

        // No session: the cluster page is the login page, with none of the cluster's data on it.
        var response = await page.GotoAsync(Url($"/dashboard/postgres/{DashboardFixture.Cluster}"));
        Assert.EndsWith($"/dashboard/login?next=%2Fdashboard%2Fpostgres%2F{DashboardFixture.Cluster}", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Node, await page.ContentAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "login");

        // A wrong token is a 401 and still the login page.
        await page.FillAsync("#token", "hgr_wrong");
        var refused = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button[type=submit]"), r => r.Request.Method == "POST" && r.Url.EndsWith("/dashboard/login", StringComparison.Ordinal));
        Assert.Equal((int)HttpStatusCode.Unauthorized, refused.Status);
        await page.WaitForLoadStateAsync(LoadState.Load);
        Assert.Contains("invalid API token", await page.ContentAsync(), StringComparison.Ordinal);

        // The right one lands on the page that was asked for.
        await page.FillAsync("#token", fixture.Token);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(Url($"/dashboard/postgres/{DashboardFixture.Cluster}"));

        // Overview: every resource the fixture made.
        response = await page.GotoAsync(Url("/dashboard/"));
        Assert.Equal(200, response!.Status);
        var overview = await page.ContentAsync();
        foreach (var name in new[] { DashboardFixture.Cluster, DashboardFixture.Redis, DashboardFixture.Bucket })
        {
            Assert.Contains($">{name}</a>", overview, StringComparison.Ordinal);
        }

        Assert.Contains("metrics</dt><dd><span class=\"badge ok\">", overview, StringComparison.Ordinal);
        await ShotAsync(page, "overview");

        // Cluster: its node and role, a chart with points from Prometheus, the backups' restorable window.
        await page.GotoAsync(Url($"/dashboard/postgres/{DashboardFixture.Cluster}"));
        var cluster = await page.ContentAsync();
        Assert.Contains($"<td>{fixture.Node}</td>", cluster, StringComparison.Ordinal);
        Assert.Contains("restorable to", cluster, StringComparison.Ordinal);
        Assert.True(await ChartPointsAsync(page, "Connections") > 0, "the connections chart has no points");
        Assert.True(await ChartPointsAsync(page, "Transactions/s") > 0, "the transactions chart has no points");
        foreach (var range in new[] { "24h", "7d" })
        {
            Assert.Equal(200, (await page.GotoAsync(Url($"/dashboard/postgres/{DashboardFixture.Cluster}?range={range}")))!.Status);
        }

        await page.GotoAsync(Url($"/dashboard/postgres/{DashboardFixture.Cluster}"));
        await ShotAsync(page, "postgres");

        // Test restore: a real drill into a scratch cluster; the page follows it to its result.
        await page.GetByRole(AriaRole.Button, new() { Name = "Test restore" }).ClickAsync();
        var done = page.Locator(".operation[data-state=passed], .operation[data-state=failed]");
        await done.WaitForAsync(new LocatorWaitForOptions { Timeout = 300_000 });
        Assert.Equal("passed", await done.GetAttributeAsync("data-state"));
        Assert.Contains("Test restore passed", await page.ContentAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "postgres-drill-passed");

        // Failover and restart ask first: the button alone starts nothing.
        await page.GetByRole(AriaRole.Button, new() { Name = "Restart" }).ClickAsync();
        Assert.Contains($"Restart {DashboardFixture.Cluster}?", await page.ContentAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "postgres-restart-confirm");

        // Redis: live figures and charts.
        await page.GotoAsync(Url($"/dashboard/redis/{DashboardFixture.Redis}"));
        Assert.True(await ChartPointsAsync(page, "Memory used / max") > 0, "the Redis memory chart has no points");
        Assert.True(await ChartPointsAsync(page, "Operations/s") > 0, "the Redis ops chart has no points");
        await ShotAsync(page, "redis");

        // Bucket: object count, one level of keys, a folder, and a presigned link that downloads the object.
        await page.GotoAsync(Url($"/dashboard/storage/{DashboardFixture.Bucket}"));
        Assert.Equal("3", (await page.Locator("dd.objects").InnerTextAsync()).Trim());
        Assert.Contains("photos/", await page.Locator("table.objects").InnerTextAsync(), StringComparison.Ordinal);
        var link = await page.Locator("a.download", new() { HasText = "readme.txt" }).GetAttributeAsync("href");
        Assert.Contains("X-Amz-Signature=", link, StringComparison.Ordinal);
        using (var http = new HttpClient())
        {
            Assert.Equal("content of readme.txt", await http.GetStringAsync(link));
        }

        Assert.True(await ChartPointsAsync(page, "Requests/s (all buckets)") > 0, "the request-rate chart has no points");
        await ShotAsync(page, "bucket");
        await page.ClickAsync("text=photos/");
        Assert.Contains("a.jpg", await page.Locator("table.objects").InnerTextAsync(), StringComparison.Ordinal);

        // Volumes: the volume and its snapshot.
        await page.GotoAsync(Url("/dashboard/volumes"));
        var volumes = await page.ContentAsync();
        Assert.Contains(fixture.VolumeId, volumes, StringComparison.Ordinal);
        Assert.Contains(DashboardFixture.Volume, volumes, StringComparison.Ordinal);
        await ShotAsync(page, "volumes");

        // An unknown resource is a 404 page, not an error.
        Assert.Equal(404, (await page.GotoAsync(Url("/dashboard/postgres/nosuch")))!.Status);
    }

    [Fact]
    public async Task PhoneWidth_PagesFitTheScreen()
    {
        await using var context = await NewContextAsync(390, 844);
        var page = await context.NewPageAsync();
        await LoginAsync(page);
        foreach (var (path, shot) in new[] { ("/dashboard/", "phone-overview"), ($"/dashboard/postgres/{DashboardFixture.Cluster}", "phone-postgres") })
        {
            await page.GotoAsync(Url(path));
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"{path} is wider than a phone");
            await ShotAsync(page, shot);
        }
    }

    [Fact]
    public async Task PrometheusStopped_PageRendersWithMetricsUnavailable()
    {
        await using var context = await NewContextAsync(1280, 900);
        var page = await context.NewPageAsync();
        await LoginAsync(page);
        await fixture.Prometheus.StopAsync();
        try
        {
            foreach (var path in new[] { $"/dashboard/postgres/{DashboardFixture.Cluster}", $"/dashboard/redis/{DashboardFixture.Redis}", $"/dashboard/storage/{DashboardFixture.Bucket}", "/dashboard/" })
            {
                var response = await page.GotoAsync(Url(path));
                Assert.Equal(200, response!.Status);
                Assert.Contains("metrics unavailable", await page.ContentAsync(), StringComparison.Ordinal);
                Assert.Equal(0, await page.Locator("svg.plot").CountAsync());
            }

            await ShotAsync(page, "postgres-metrics-unavailable");
        }
        finally
        {
            await fixture.Prometheus.StartAsync();
        }
    }

    /// <summary>A fresh browser profile; generous timeouts, as a page on a loaded two-core machine may wait on Patroni.</summary>
    private async Task<IBrowserContext> NewContextAsync(int width, int height)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return context;
    }

    private async Task LoginAsync(IPage page)
    {
        await page.GotoAsync(Url("/dashboard/login"));
        await page.FillAsync("#token", fixture.Token);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(Url("/dashboard/"));
    }

    /// <summary>The points drawn in the chart titled <paramref name="title"/>, reloading until Prometheus has some (a fresh restart may need a scrape).</summary>
    private static async Task<int> ChartPointsAsync(IPage page, string title) =>
        await Poll.UntilAsync(async () =>
        {
            var svg = page.Locator($"svg.plot[aria-label='{title}']");
            if (await svg.CountAsync() == 0)
            {
                await page.ReloadAsync();
                return 0;
            }

            return int.Parse((await svg.GetAttributeAsync("data-points"))!, System.Globalization.CultureInfo.InvariantCulture);
        }, n => n > 0, TimeSpan.FromSeconds(30), $"points in the chart '{title}'");

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.Artifacts, name + ".png"), FullPage = true });
}
