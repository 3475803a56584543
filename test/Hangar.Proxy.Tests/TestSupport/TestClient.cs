using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hangar.Proxy.Tests.TestSupport;

/// <summary>A raw TCP client of the proxy with deadline-bounded reads.</summary>
internal sealed class TestClient : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private TestClient(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    public static async Task<TestClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        return new TestClient(socket);
    }

    /// <summary>Reads the backend's greeting: the name of the node this connection reached.</summary>
    public async Task<string> ReadGreetingAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            var read = await Socket.ReceiveAsync(one, cts.Token);
            if (read == 0)
            {
                throw new IOException($"connection closed after '{line}' before a full greeting");
            }

            if (one[0] == '\n')
            {
                return line.ToString();
            }

            line.Append((char)one[0]);
        }
    }

    public async Task SendAsync(string text) => await Socket.SendAsync(Encoding.ASCII.GetBytes(text));

    public async Task<string> ReadExactlyAsync(int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var buffer = new byte[count];
        var done = 0;
        while (done < count)
        {
            var read = await Socket.ReceiveAsync(buffer.AsMemory(done), cts.Token);
            if (read == 0)
            {
                throw new IOException($"connection closed after {done} of {count} bytes");
            }

            done += read;
        }

        return Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Reads until end-of-stream or reset; returns what was read, or null if still open at the deadline.</summary>
    public async Task<string?> ReadToEndAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var all = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await Socket.ReceiveAsync(buffer, cts.Token);
                if (read == 0)
                {
                    return Encoding.ASCII.GetString(all.ToArray());
                }

                all.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            return Encoding.ASCII.GetString(all.ToArray());
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => Socket.Dispose();
}
