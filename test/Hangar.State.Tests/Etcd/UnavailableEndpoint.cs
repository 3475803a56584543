using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hangar.State.Tests.Etcd;

/// <summary>An HTTP server on loopback that answers everything with 503, like a member without a leader.</summary>
public sealed class UnavailableEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private UnavailableEndpoint(WebApplication app) => _app = app;

    /// <summary>The bound address: Kestrel replaces port 0 in <see cref="WebApplication.Urls"/> once started.</summary>
    public Uri Url => new(_app.Urls.Single());

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<UnavailableEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var endpoint = new UnavailableEndpoint(app);
        app.Run(async context =>
        {
            Interlocked.Increment(ref endpoint._requests);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("""{"error":"etcdserver: no leader","message":"etcdserver: no leader","code":14}""");
        });
        await app.StartAsync();
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
