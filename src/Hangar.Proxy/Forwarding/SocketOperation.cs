using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace Hangar.Proxy.Forwarding;

/// <summary>
/// A reusable awaitable socket operation (Kestrel's SocketAwaitableEventArgs pattern): no allocation
/// per receive or send, and errors come back as <see cref="SocketError"/> values so routine
/// disconnects do not throw. One instance runs one operation at a time.
/// </summary>
internal sealed class SocketOperation : SocketAsyncEventArgs, IValueTaskSource<SocketResult>
{
    // Continuations run inline on the thread that completed the I/O: the next step of a pump is a
    // send or receive that is usually synchronous, so a thread-pool hop would only add latency.
    private ManualResetValueTaskSourceCore<SocketResult> _source;

    public SocketOperation()
        : base(unsafeSuppressExecutionContextFlow: true)
    {
    }

    public ValueTask<SocketResult> ReceiveAsync(Socket socket, Memory<byte> buffer)
    {
        _source.Reset();
        SetBuffer(buffer);
        return socket.ReceiveAsync(this) ? new(this, _source.Version) : new(Result);
    }

    public ValueTask<SocketResult> SendAsync(Socket socket, ReadOnlyMemory<byte> buffer)
    {
        _source.Reset();
        SetBuffer(MemoryMarshal.AsMemory(buffer));
        return socket.SendAsync(this) ? new(this, _source.Version) : new(Result);
    }

    public ValueTask<SocketResult> ConnectAsync(Socket socket, EndPoint endPoint)
    {
        _source.Reset();
        SetBuffer(Memory<byte>.Empty);
        RemoteEndPoint = endPoint;
        return socket.ConnectAsync(this) ? new(this, _source.Version) : new(Result);
    }

    private SocketResult Result => new(BytesTransferred, SocketError);

    protected override void OnCompleted(SocketAsyncEventArgs e) => _source.SetResult(Result);

    public SocketResult GetResult(short token) => _source.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _source.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);
}
