using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Hangar.Core.Metrics;

namespace Hangar.Proxy.Diagnostics;

/// <summary>
/// GET /metrics of the proxy's own meter in the Prometheus text format, behind a bearer token, on a listener of its
/// own (a free port on the proxy's address, named in the status file so the daemon lists it in service discovery).
/// One request per connection, nothing else understood: the proxy carries no HTTP server for one route.
/// </summary>
internal sealed class MetricsEndpoint : IAsyncDisposable
{
    private const int MaxRequestBytes = 8192;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly byte[] _tokenDigest;
    private readonly PrometheusExporter _exporter;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    private MetricsEndpoint(Socket listener, string token, Meter meter)
    {
        _listener = listener;
        _tokenDigest = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        _exporter = new PrometheusExporter(instrument => ReferenceEquals(instrument.Meter, meter));
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _loop = AcceptLoopAsync(_stopping.Token);
    }

    public IPEndPoint EndPoint { get; }

    public static MetricsEndpoint Start(IPEndPoint address, string token, Meter meter)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(address);
            listener.Listen(16);
            return new MetricsEndpoint(listener, token, meter);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>The response to one request: 200 with the metrics, 401 without the token, 404 for anything else.</summary>
    internal (int Status, string Body) Respond(string request)
    {
        var lines = request.Split("\r\n");
        var parts = lines[0].Split(' ');
        if (parts is not ["GET", "/metrics", _])
        {
            return (404, "not found\n");
        }

        var authorization = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))?["Authorization:".Length..].Trim();
        const string scheme = "Bearer ";
        var presented = authorization is not null && authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? authorization[scheme.Length..].Trim() : null;
        return presented is not null && CryptographicOperations.FixedTimeEquals(_tokenDigest, SHA256.HashData(Encoding.UTF8.GetBytes(presented)))
            ? (200, _exporter.Render())
            : (401, "a bearer token is required\n");
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _loop.ConfigureAwait(false);
        _exporter.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client, cancellationToken);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            var buffer = new byte[MaxRequestBytes];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await client.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }

                read += n;
                if (buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8) >= 0)
                {
                    break;
                }
            }

            var (status, body) = Respond(Encoding.ASCII.GetString(buffer, 0, read));
            var payload = Encoding.UTF8.GetBytes(body);
            var reason = status switch { 200 => "OK", 401 => "Unauthorized", _ => "Not Found" };
            var head = Encoding.ASCII.GetBytes(
                $"HTTP/1.1 {status} {reason}\r\nContent-Type: {(status == 200 ? PrometheusExporter.ContentType : "text/plain")}\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n{(status == 401 ? "WWW-Authenticate: Bearer\r\n" : string.Empty)}\r\n");
            await client.SendAsync(head, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            await client.SendAsync(payload, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // A client that went away or stalled: nothing to answer.
        }
    }
}
