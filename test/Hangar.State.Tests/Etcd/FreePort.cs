using System.Net;
using System.Net.Sockets;

namespace Hangar.State.Tests.Etcd;

internal static class FreePort
{
    /// <summary>A loopback port free right now. Others may take it before it is used; callers retry on a bind failure.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A socket bound to a loopback port but not listening: connecting to it is refused, and unlike a port merely
    /// released, nobody else can start listening on it while the socket lives.
    /// </summary>
    public static Socket BindRefusing()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    public static Uri Url(Socket socket) => new($"http://127.0.0.1:{((IPEndPoint)socket.LocalEndPoint!).Port}");
}
