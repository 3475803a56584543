using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Hangar.Proxy.Configuration;

namespace Hangar.Proxy.Forwarding;

/// <summary>
/// One client connection spliced to one node: two pumps, one per direction. End-of-stream on one
/// side is passed on as a half-close (shutdown of the send side), so protocols that close one
/// direction first keep working; an error on either side aborts both.
/// </summary>
internal sealed class ForwardedConnection : IDisposable
{
    // 16 KiB per direction: PostgreSQL sends in 8 KiB chunks, so one receive carries at least one
    // of its writes, while a thousand idle pooled connections still cost only 32 MiB.
    internal const int BufferSize = 16 * 1024;

    private readonly Socket _client;
    private readonly Socket _server;
    private readonly SocketOperation _upstream;
    private SocketOperation? _downstream;
    private int _aborted;
    private long _bytesToServer;
    private long _bytesToClient;

    public ForwardedConnection(Socket client, Socket server, ProxyNodeConfig node, SocketOperation upstream)
    {
        _client = client;
        _server = server;
        _upstream = upstream;
        Node = node;
        ClientEndPoint = client.RemoteEndPoint;
    }

    public ProxyNodeConfig Node { get; }

    public EndPoint? ClientEndPoint { get; }

    public long BytesToServer => Interlocked.Read(ref _bytesToServer);

    public long BytesToClient => Interlocked.Read(ref _bytesToClient);

    /// <summary>Copies both ways until both directions have ended; does not close the sockets.</summary>
    public async Task RunAsync()
    {
        var up = ArrayPool<byte>.Shared.Rent(BufferSize);
        var down = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var toServer = PumpAsync(_client, _server, _upstream, up, upstream: true);
            // Created here, not in the constructor: a connection refused by the registry never runs.
            _downstream = new SocketOperation();
            var toClient = PumpAsync(_server, _client, _downstream, down, upstream: false);
            await toServer.ConfigureAwait(false);
            await toClient.ConfigureAwait(false);
        }
        finally
        {
            // Both pumps have finished, so no socket operation still refers to the buffers.
            ArrayPool<byte>.Shared.Return(up);
            ArrayPool<byte>.Shared.Return(down);
        }
    }

    /// <summary>Ends both directions now; the peers see end-of-stream. Returns false if already aborted.</summary>
    public bool Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return false;
        }

        // Shutdown, not Dispose: it wakes pending receives with end-of-stream and pending sends
        // with an error, and leaves disposal to the owner once both pumps have stopped, so no
        // operation can ever start on a disposed socket.
        Shutdown(_client, SocketShutdown.Both);
        Shutdown(_server, SocketShutdown.Both);
        return true;
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
        _upstream.Dispose();
        _downstream?.Dispose();
    }

    private async Task PumpAsync(Socket from, Socket to, SocketOperation operation, byte[] buffer, bool upstream)
    {
        while (true)
        {
            var received = await operation.ReceiveAsync(from, buffer).ConfigureAwait(false);
            if (!received.Succeeded)
            {
                _ = Abort();
                return;
            }

            if (received.BytesTransferred == 0)
            {
                if (Volatile.Read(ref _aborted) == 0)
                {
                    Shutdown(to, SocketShutdown.Send);
                }

                return;
            }

            var pending = new ReadOnlyMemory<byte>(buffer, 0, received.BytesTransferred);
            while (!pending.IsEmpty)
            {
                var sent = await operation.SendAsync(to, pending).ConfigureAwait(false);
                if (!sent.Succeeded)
                {
                    _ = Abort();
                    return;
                }

                pending = pending[sent.BytesTransferred..];
            }

            if (upstream)
            {
                Interlocked.Add(ref _bytesToServer, received.BytesTransferred);
            }
            else
            {
                Interlocked.Add(ref _bytesToClient, received.BytesTransferred);
            }
        }
    }

    private static void Shutdown(Socket socket, SocketShutdown how)
    {
        try
        {
            socket.Shutdown(how);
        }
        catch (SocketException)
        {
            // The peer already reset the connection (ENOTCONN): there is nothing left to end.
        }
    }
}
