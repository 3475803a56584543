using Amazon.S3.Model;
using Hangar.FunctionalTests.Infrastructure;
using Hangar.FunctionalTests.Storage;
using Microsoft.Playwright;
using Xunit;

namespace Hangar.FunctionalTests.Dashboard;

/// <summary>
/// One daemon started with --prometheus-url, a real Prometheus scraping exporter-named metrics for what the test made
/// (a 1-node cluster with backups, a Redis, a bucket with objects, a volume with a snapshot), and headless Chromium
/// (Debian's, driven by Playwright). Screenshots go to <see cref="Artifacts"/> under the test output directory.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string Cluster = "dash";
    public const string Redis = "dashcache";
    public const string Bucket = "dash-files";
    public const string Volume = "dashvol";
    public static readonly string[] ObjectKeys = ["readme.txt", "photos/a.jpg", "photos/b.jpg"];

    private readonly int _prometheusPort = FreePorts.Next();
    private MetricsEndpoint? _metrics;
    private IPlaywright? _playwright;

    public HangarDaemon Hangar { get; private set; } = null!;

    public TestPrometheus Prometheus { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string ApiUrl { get; private set; } = null!;

    public string Token { get; private set; } = null!;

    public string Node { get; private set; } = null!;

    public string VolumeId { get; private set; } = null!;

    public static string Artifacts { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Artifacts);
        Hangar = new HangarDaemon("--prometheus-url", $"http://127.0.0.1:{_prometheusPort}");
        await Hangar.StartAsync();
        var token = await Hangar.JsonAsync("auth", "token");
        Token = token.GetProperty("token").GetString()!;
        ApiUrl = token.GetProperty("apiUrl").GetString()!.TrimEnd('/');

        var cluster = CreateClusterAsync();
        var others = Task.WhenAll(CreateRedisAsync(), CreateBucketAsync(), CreateVolumeAsync());
        await Task.WhenAll(cluster, others);

        Node = (await Hangar.JsonAsync("postgres", "status", "-a", Cluster)).GetProperty("nodes")[0].GetProperty("name").GetString()!;
        _metrics = new MetricsEndpoint(FreePorts.Next(), Cluster, Node, Redis);
        Prometheus = new TestPrometheus(_prometheusPort, _metrics.Port, Path.Combine(Hangar.Root, "prometheus"));
        await Prometheus.StartAsync();
        await Poll.UntilAsync(async () => await Prometheus.SamplesAsync("pg_stat_activity_count") >= 3, TimeSpan.FromSeconds(30), "Prometheus to hold a few scrapes");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,

            // As root (the test machines) Chromium refuses to start with its sandbox.
            Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
        });
    }

    private async Task CreateClusterAsync()
    {
        (await Hangar.RunAsync("postgres", "create", "--name", Cluster, "--enable-backups", "--json")).ShouldSucceed();
        await Poll.UntilAsync(async () =>
        {
            var list = await Hangar.RunAsync("postgres", "backup", "list", "-a", Cluster, "--json");
            return list.ExitCode == 0 && System.Text.Json.JsonDocument.Parse(list.Stdout).RootElement.GetProperty("backups").GetArrayLength() > 0;
        }, TimeSpan.FromMinutes(3), "the first full backup");
    }

    private async Task CreateRedisAsync() => (await Hangar.RunAsync("redis", "create", "--name", Redis, "--json")).ShouldSucceed();

    private async Task CreateBucketAsync()
    {
        var c = (await Hangar.JsonAsync("storage", "create", "--name", Bucket)).GetProperty("credentials");
        using var s3 = AppEnvironment.Client(c.GetProperty("accessKeyId").GetString()!, c.GetProperty("secretAccessKey").GetString()!, Hangar.S3Url, c.GetProperty("region").GetString()!);
        foreach (var key in ObjectKeys)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "content of " + key });
        }
    }

    private async Task CreateVolumeAsync()
    {
        VolumeId = (await Hangar.JsonAsync("volumes", "create", Volume, "--size", "1")).GetProperty("id").GetString()!;
        (await Hangar.RunAsync("volumes", "snapshots", "create", VolumeId, "--json")).ShouldSucceed();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }

        if (_metrics is not null)
        {
            await _metrics.DisposeAsync();
        }

        if (Hangar is not null)
        {
            await Hangar.DisposeAsync();
        }
    }
}
