using Hangar.ObjectStore.Admin;
using Hangar.ObjectStore.Auth;
using Hangar.ObjectStore.Http;
using Hangar.ObjectStore.Lifecycle;
using Hangar.ObjectStore.Metrics;
using Hangar.ObjectStore.Shadow;
using Hangar.ObjectStore.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hangar.ObjectStore.Hosting;

/// <summary>A running S3 server: Kestrel with one terminal handler. Dispose to stop it.</summary>
public sealed class S3Server : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StoreRegistry _stores;
    private readonly S3Metrics _metrics;
    private readonly ShadowService _shadow;
    private readonly LifecycleWorker _lifecycle;

    private S3Server(WebApplication app, StoreRegistry stores, S3Metrics metrics, ShadowService shadow, LifecycleWorker lifecycle, Uri? http, Uri? https)
    {
        _lifecycle = lifecycle;
        _app = app;
        _stores = stores;
        _metrics = metrics;
        _shadow = shadow;
        HttpAddress = http;
        HttpsAddress = https;
    }

    /// <summary>The bound plain-HTTP address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri? HttpAddress { get; }

    public Uri? HttpsAddress { get; }

    internal StoreRegistry Stores => _stores;

    internal S3Metrics Metrics => _metrics;

    internal LifecycleWorker Lifecycle => _lifecycle;

    public static async Task<S3Server> StartAsync(S3ServerOptions options, CancellationToken cancellationToken)
    {
        // Bodies are fsynced on request threads (blocking syscalls); a deeper pool keeps 16+ concurrent
        // durable PUTs from starving the GET path while the pool would otherwise grow one thread at a time.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), io);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (options.ConsoleLogging)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        }
        var token = options.AdminToken;
        if (options.AdminTokenFile is not null)
        {
            token = (await File.ReadAllTextAsync(options.AdminTokenFile, cancellationToken)).Trim();
        }
        var stores = new StoreRegistry(options.DataDir, options.TimeProvider, options.MinFreeBytes);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Objects are up to 5 GiB per PUT and are streamed, so Kestrel's 30 MB cap does not apply.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
            kestrel.Limits.MinRequestBodyDataRate = null;
            if (options.Listen is { } http)
            {
                kestrel.Listen(http);
            }
            if (options.HttpsListen is { } https)
            {
                var logger = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger<S3Server>();
                var certificate = CertificateStore.Load(options, logger);
                kestrel.Listen(https, listen => listen.UseHttps(certificate));
            }
        });
        var app = builder.Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var log = loggers.CreateLogger<S3Server>();
        var removed = stores.SweepOrphans();
        if (removed > 0)
        {
            Log.OrphansRemoved(log, removed);
        }
        var metrics = new S3Metrics();
        var shadow = new ShadowService(options.TimeProvider, loggers.CreateLogger<ShadowService>());
        var admin = new AdminApi(stores, metrics, token is null ? null : AdminApi.HashToken(token), options.TimeProvider, loggers.CreateLogger<AdminApi>())
        {
            MetricsTokenHash = options.MetricsTokenFile is { } metricsTokenFile ? AdminApi.HashToken(await File.ReadAllTextAsync(metricsTokenFile, cancellationToken)) : null,
        };
        var handler = new S3Handler(options, stores, new SigV4Verifier(options.TimeProvider), admin, metrics, shadow, options.TimeProvider, loggers.CreateLogger<S3Handler>());
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Uri? httpAddress = null, httpsAddress = null;
        foreach (var address in addresses)
        {
            var uri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
            if (uri.Scheme == "https")
            {
                httpsAddress = uri;
            }
            else
            {
                httpAddress = uri;
            }
        }
        Log.Listening(log, string.Join(' ', addresses), options.DataDir);
        var lifecycle = new LifecycleWorker(stores, options.TimeProvider, new LifecycleClock(options.LifecycleDay), options.LifecycleInterval,
            options.LifecyclePassBudget, LifecycleTags.Stored, loggers.CreateLogger<LifecycleWorker>());
        lifecycle.Start();
        return new S3Server(app, stores, metrics, shadow, lifecycle, httpAddress, httpsAddress);
    }

    public async ValueTask DisposeAsync()
    {
        await _lifecycle.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _stores.DisposeAsync();
        _shadow.Dispose();
        _metrics.Dispose();
    }
}
