using System.Net.Sockets;

namespace Hangar.Proxy.Forwarding;

/// <summary>Outcome of one socket operation: a reset or an aborted socket is a value here, not an exception.</summary>
internal readonly record struct SocketResult(int BytesTransferred, SocketError Error)
{
    public bool Succeeded => Error == SocketError.Success;
}
