using System.Net.Sockets;

namespace Hangar.Redis.Resp;

/// <summary>
/// One connection to a Redis server, one command at a time: enough for the daemon's status queries,
/// readiness probes and live config changes (no pipelining, no pub/sub).
/// </summary>
public sealed class RespConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly RespReader _reader;

    private RespConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new RespReader(_stream);
    }

    public static async Task<RespConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, cancellationToken);
            return new RespConnection(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Connects and authenticates as <paramref name="user"/>; a refused AUTH throws, since nothing useful follows it.</summary>
    public static async Task<RespConnection> OpenAsync(string host, int port, string user, string password, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(host, port, cancellationToken);
        try
        {
            var auth = await connection.SendAsync(["AUTH", user, password], cancellationToken);
            if (auth.IsError)
            {
                throw new RespProtocolException($"AUTH as {user} refused: {auth.ErrorCode}");
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<RespValue> SendAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(RespWriter.Encode(arguments), cancellationToken);
        return await _reader.ReadAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
