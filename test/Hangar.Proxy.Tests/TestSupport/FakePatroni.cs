using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hangar.Proxy.Tests.TestSupport;

/// <summary>A Patroni REST API reduced to <c>GET /primary</c>: 200 while <see cref="IsLeader"/>, else 503.</summary>
internal sealed class FakePatroni : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile bool _isLeader;
    private int _requests;
    private int _disposed;

    private FakePatroni(WebApplication app, bool isLeader)
    {
        _app = app;
        _isLeader = isLeader;
    }

    public bool IsLeader
    {
        get => _isLeader;
        set => _isLeader = value;
    }

    public int Requests => Volatile.Read(ref _requests);

    public Uri Url { get; private set; } = null!;

    public static async Task<FakePatroni> StartAsync(bool isLeader)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakePatroni(app, isLeader);
        app.MapGet("/primary", () =>
        {
            Interlocked.Increment(ref fake._requests);
            return fake._isLeader
                ? Results.Json(new { state = "running", role = "primary" })
                : Results.Json(new { state = "running", role = "replica" }, statusCode: 503);
        });
        await app.StartAsync();
        fake.Url = new Uri(app.Urls.First());
        return fake;
    }

    /// <summary>Stops answering at all (connection refused), as a dead Patroni; idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
