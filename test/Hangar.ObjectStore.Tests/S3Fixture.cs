using System.Net.Http.Headers;
using System.Net.Http.Json;
using Amazon.Runtime;
using Amazon.S3;
using Hangar.ObjectStore.Hosting;

namespace Hangar.ObjectStore.Tests;

/// <summary>One real server on loopback port 0 (HTTP and HTTPS) shared by a test class, with an owner key.</summary>
public sealed class S3Fixture : IAsyncLifetime
{
    public const string AdminToken = "test-admin-token";
    public const string OwnerKey = "OWNERKEY";
    public const string OwnerSecret = "owner-secret-0123456789";

    public static readonly TimeSpan LifecycleDay = TimeSpan.FromSeconds(2);

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "hangar-s3-test-" + Guid.NewGuid().ToString("N"));

    internal S3Server Server { get; private set; } = null!;

    public Uri Http => Server.HttpAddress!;

    public Uri Https => Server.HttpsAddress!;

    public HttpClient Admin { get; } = new();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDir);
        var tokenFile = Path.Combine(DataDir, "admin-token");
        await File.WriteAllTextAsync(tokenFile, AdminToken + "\n");
        Server = await S3Server.StartAsync(new S3ServerOptions
        {
            DataDir = DataDir,
            Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
            HttpsListen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
            AdminTokenFile = tokenFile,
            ConsoleLogging = false,
            // Short, so the test of a body that never arrives answers quickly; no test pauses that long mid-body.
            BodyIdleTimeout = TimeSpan.FromSeconds(3),
            // A lifecycle "day" of two seconds, so a real rule expires an object within a test.
            LifecycleDay = LifecycleDay,
            LifecycleInterval = TimeSpan.FromMilliseconds(250),
        }, CancellationToken.None);
        Admin.BaseAddress = Http;
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        await PutKeyAsync(OwnerKey, OwnerSecret, []);
    }

    public async Task PutKeyAsync(string id, string secret, string[] buckets, bool readOnly = false)
    {
        using var response = await Admin.PutAsJsonAsync($"/_hangar/admin/keys/{id}", new { secretKey = secret, buckets, readOnly });
        response.EnsureSuccessStatusCode();
    }

    public async Task PutBucketAsync(string name, object body)
    {
        using var response = await Admin.PutAsJsonAsync($"/_hangar/admin/buckets/{name}", body);
        response.EnsureSuccessStatusCode();
    }

    public AmazonS3Client Client(string key = OwnerKey, string secret = OwnerSecret, bool https = false, bool pathStyle = true) =>
        new(new BasicAWSCredentials(key, secret), new AmazonS3Config
        {
            ServiceURL = (https ? Https : Http).ToString(),
            ForcePathStyle = pathStyle,
            AuthenticationRegion = "local",
            HttpClientFactory = new InsecureHttpClientFactory(),
            MaxErrorRetry = 0,
        });

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(DataDir, recursive: true);
    }

    private sealed class InsecureHttpClientFactory : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
    }
}
