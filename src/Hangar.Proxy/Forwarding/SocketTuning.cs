using System.Net.Sockets;

namespace Hangar.Proxy.Forwarding;

internal static class SocketTuning
{
    /// <summary>Options for both legs of a forwarded connection; returns false if the socket is already dead.</summary>
    public static bool TryConfigure(Socket socket)
    {
        try
        {
            // PostgreSQL's protocol is request/response with small messages: Nagle would add delay.
            socket.NoDelay = true;

            // A leg to a host that vanished (or a client that did) is noticed within ~90 s instead
            // of the kernel default of two hours.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 60);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 10);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
