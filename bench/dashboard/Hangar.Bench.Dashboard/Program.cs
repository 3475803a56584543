using System.Globalization;
using Microsoft.Playwright;

// Page load in headless Chromium (Debian's): navigation start to the load event, from the browser's own Navigation
// Timing, for a dashboard page and for a reference URL fetched the same way in the same browser (the daemon's /v1
// status JSON), after a login with the API token. Usage: API_URL TOKEN PAGE_PATH REFERENCE_PATH ROUNDS
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: Hangar.Bench.Dashboard API_URL TOKEN PAGE_PATH REFERENCE_PATH ROUNDS");
    return 2;
}

var (api, token, pagePath, referencePath, rounds) = (args[0].TrimEnd('/'), args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture));
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
});
await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
{
    // The reference is an API route: it needs the bearer token, which the dashboard ignores.
    ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
});
var page = await context.NewPageAsync();
await page.GotoAsync(api + "/dashboard/login");
await page.FillAsync("#token", token);
await page.ClickAsync("button[type=submit]");
await page.WaitForURLAsync(api + "/dashboard/");

async Task<List<double>> MeasureAsync(string path)
{
    var times = new List<double>();
    for (var i = 0; i < rounds + 3; i++)
    {
        var response = await page.GotoAsync(api + path, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        if (response is not { Status: 200 })
        {
            throw new InvalidOperationException($"{path} answered {response?.Status}");
        }

        var ms = await page.EvaluateAsync<double>("() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; }");
        if (i >= 3)
        {
            times.Add(ms); // the first three warm up the JIT, the connection and the browser's caches of its own
        }
    }

    times.Sort();
    return times;
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

var pageTimes = await MeasureAsync(pagePath);
var referenceTimes = await MeasureAsync(referencePath);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"what",-44} {"median ms",10} {"p95 ms",8} {"max ms",8}"));
foreach (var (name, times) in new[] { (pagePath, pageTimes), (referencePath + " (reference)", referenceTimes) })
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-44} {Percentile(times, 0.5),10:0.0} {Percentile(times, 0.95),8:0.0} {times[^1],8:0.0}"));
}

var median = Percentile(pageTimes, 0.5);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio page/reference (median): {median / Percentile(referenceTimes, 0.5):0.0}x; goal < 300 ms: {(median < 300 ? "met" : "NOT met")} ({median:0.0} ms)"));
return 0;
