using System.Net;
using System.Text.RegularExpressions;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Dashboard;

/// <summary>The dashboard's door, over plain HTTP: no session → login page or 401, never data; CSRF on every POST; the CLI's verbs.</summary>
public sealed partial class DashboardTests
{
    private static readonly string[] Pages =
    [
        "/dashboard", "/dashboard/", "/dashboard/volumes", $"/dashboard/postgres/{DashboardFixture.Cluster}", $"/dashboard/postgres/{DashboardFixture.Cluster}?range=7d",
        $"/dashboard/redis/{DashboardFixture.Redis}", $"/dashboard/storage/{DashboardFixture.Bucket}", $"/dashboard/storage/{DashboardFixture.Bucket}?prefix=photos%2F",
    ];

    private static readonly string[] Actions =
    [
        $"/dashboard/postgres/{DashboardFixture.Cluster}/drill", $"/dashboard/postgres/{DashboardFixture.Cluster}/failover",
        $"/dashboard/postgres/{DashboardFixture.Cluster}/restart", "/dashboard/logout",
    ];

    [Fact]
    public async Task Unauthenticated_EveryRoute_IsTheLoginPageOr401_NeverData()
    {
        foreach (var cookie in new[] { null, "hangar_session=forged" })
        {
            using var http = Client(cookie);
            foreach (var path in Pages)
            {
                using var response = await http.GetAsync(fixture.ApiUrl + path);
                Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"GET {path} with {cookie ?? "no cookie"}: {response.StatusCode}");
                Assert.StartsWith("/dashboard/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
                AssertNoData(await response.Content.ReadAsStringAsync());
            }

            foreach (var path in Actions)
            {
                using var response = await http.PostAsync(fixture.ApiUrl + path, new FormUrlEncodedContent([new("confirm", "yes")]));
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                AssertNoData(await response.Content.ReadAsStringAsync());
            }
        }

        // The link API is behind the bearer token like the rest of /v1.
        using var anonymous = Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(fixture.ApiUrl + "/v1/dashboard/links", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);

        // A wrong token is a 401.
        using var wrong = await anonymous.PostAsync(fixture.ApiUrl + "/dashboard/login", new FormUrlEncodedContent([new("token", fixture.Token + "x")]));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Login_SetsAStrictHttpOnlyCookie_AndEveryPostNeedsTheCsrfToken()
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        using var login = await http.PostAsync(fixture.ApiUrl + "/dashboard/login", new FormUrlEncodedContent([new("token", fixture.Token)]));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/dashboard", setCookie, StringComparison.OrdinalIgnoreCase);

        var page = await http.GetStringAsync(fixture.ApiUrl + $"/dashboard/postgres/{DashboardFixture.Cluster}");
        var csrf = CsrfField().Match(page).Groups[1].Value;
        Assert.NotEmpty(csrf);
        var operationBefore = Operation().Match(page).Value; // the browser test's drill, when it ran first

        foreach (var path in Actions)
        {
            // No token, a wrong one, and the right one from another origin: all 403, nothing started.
            Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync(fixture.ApiUrl + path, new FormUrlEncodedContent([new("confirm", "yes")]))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync(fixture.ApiUrl + path, new FormUrlEncodedContent([new("_csrf", csrf + "x"), new("confirm", "yes")]))).StatusCode);
            using var crossSite = new HttpRequestMessage(HttpMethod.Post, fixture.ApiUrl + path) { Content = new FormUrlEncodedContent([new("_csrf", csrf), new("confirm", "yes")]) };
            crossSite.Headers.Add("Origin", "http://evil.example");
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(crossSite)).StatusCode);
        }

        Assert.Equal(operationBefore, Operation().Match(await http.GetStringAsync(fixture.ApiUrl + $"/dashboard/postgres/{DashboardFixture.Cluster}")).Value);

        // With the token, a failover asks to confirm (a 1-node cluster has no button for it, and the page says so if asked).
        using var confirm = await http.PostAsync(fixture.ApiUrl + $"/dashboard/postgres/{DashboardFixture.Cluster}/restart", new FormUrlEncodedContent([new("_csrf", csrf)]));
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Contains("Yes, restart", await confirm.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Logging out ends the session: the old cookie no longer opens a page.
        var session = cookies.GetCookieHeader(new Uri(fixture.ApiUrl + "/dashboard/"));
        Assert.StartsWith("hangar_session=", session, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await http.PostAsync(fixture.ApiUrl + "/dashboard/logout", new FormUrlEncodedContent([new("_csrf", csrf)]))).StatusCode);
        using var after = Client(session);
        Assert.Equal(HttpStatusCode.SeeOther, (await after.GetAsync(fixture.ApiUrl + "/dashboard/")).StatusCode);
    }

    [Fact]
    public async Task DashboardVerbs_PrintAOneTimeLink_UnknownNamesFail()
    {
        var link = await fixture.Hangar.JsonAsync("postgres", "dashboard", "-a", DashboardFixture.Cluster);
        Assert.Equal($"{fixture.ApiUrl}/dashboard/postgres/{DashboardFixture.Cluster}", link.GetProperty("url").GetString());
        var loginUrl = link.GetProperty("loginUrl").GetString()!;

        // The link logs in once and leads to the page; a second use is refused.
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        using (var first = await http.GetAsync(loginUrl))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Contains($"url=/dashboard/postgres/{DashboardFixture.Cluster}", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(link.GetProperty("url").GetString())).StatusCode);
        using var anonymous = Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(loginUrl)).StatusCode);

        var text = (await fixture.Hangar.RunAsync("dashboard")).ShouldSucceed().Stdout;
        Assert.Contains($"Dashboard: {fixture.ApiUrl}/dashboard/", text, StringComparison.Ordinal);
        Assert.Contains("/dashboard/login/", text, StringComparison.Ordinal);
        Assert.Contains($"/dashboard/redis/{DashboardFixture.Redis}", (await fixture.Hangar.RunAsync("redis", "dashboard", DashboardFixture.Redis)).ShouldSucceed().Stdout, StringComparison.Ordinal);
        Assert.Contains($"/dashboard/storage/{DashboardFixture.Bucket}", (await fixture.Hangar.RunAsync("storage", "dashboard", DashboardFixture.Bucket)).ShouldSucceed().Stdout, StringComparison.Ordinal);

        (await fixture.Hangar.RunAsync("postgres", "dashboard", "-a", "nosuch")).ShouldFailWith("postgres cluster 'nosuch' not found");
        (await fixture.Hangar.RunAsync("redis", "dashboard", "nosuch")).ShouldFailWith("redis 'nosuch' not found");
        (await fixture.Hangar.RunAsync("storage", "dashboard", "nosuch")).ShouldFailWith("bucket 'nosuch' not found");
        (await fixture.Hangar.RunAsync("storage", "dashboard", "hangar-pg-" + DashboardFixture.Cluster)).ShouldFailWith("not found");
    }

    [Fact]
    public async Task Up_RefusesABadPrometheusUrl_BeforeMakingAnything()
    {
        var dir = Path.Combine(fixture.Hangar.Root, "never");
        foreach (var bad in new[] { "ftp://127.0.0.1:9090", "127.0.0.1:9090", "http://u:p@127.0.0.1:9090", "http://127.0.0.1:9090/?x=1" })
        {
            (await HangarDaemon.RunWithEnvironmentAsync(null, new Dictionary<string, string?> { ["HANGAR_DATA_DIR"] = null }, "up", "--data-dir", dir, "--prometheus-url", bad))
                .ShouldFailWith($"invalid --prometheus-url '{bad}'");
        }

        Assert.False(Directory.Exists(dir));
    }

    private void AssertNoData(string body)
    {
        Assert.DoesNotContain(fixture.Node, body, StringComparison.Ordinal);
        Assert.DoesNotContain("readme.txt", body, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.VolumeId, body, StringComparison.Ordinal);
    }

    private static HttpClient Client(string? cookie)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        if (cookie is not null)
        {
            http.DefaultRequestHeaders.Add("Cookie", cookie);
        }

        return http;
    }

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    /// <summary>The cluster page's panel of the running or last operation (empty when none ran).</summary>
    [GeneratedRegex("<div class=\"operation\".*?</div>")]
    private static partial Regex Operation();
}
