using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hangar.Proxy.Tests.TestSupport;

/// <summary>
/// A real TCP server standing in for a PostgreSQL node: greets each connection with its name and a
/// newline, echoes everything, and on end-of-stream answers "BYE" and closes its side.
/// </summary>
internal sealed class EchoBackend : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private readonly List<Task> _connections = [];
    private int _accepted;
    private int _endOfStreams;

    public EchoBackend(string name)
    {
        Name = name;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public string Name { get; }

    public int Port { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections on which this server saw the client's end-of-stream (a half-close or close).</summary>
    public int EndOfStreams => Volatile.Read(ref _endOfStreams);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            lock (_connections)
            {
                _connections.Add(ServeAsync(socket));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var registration = _stopping.Token.Register(socket.Dispose);
        var buffer = new byte[64 * 1024];
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(Name + "\n"));
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer);
                if (read == 0)
                {
                    Interlocked.Increment(ref _endOfStreams);
                    await socket.SendAsync("BYE"u8.ToArray());
                    socket.Shutdown(SocketShutdown.Send);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The proxy aborted the connection (a failover) or the test is over.
        }
    }
}
