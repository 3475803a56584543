namespace Hangar.ObjectStore.Http;

/// <summary>
/// Cancels a body read that receives nothing for the idle timeout. Kestrel's own minimum data rate is
/// off (slow links upload large objects), so this is what ends a request whose Content-Length
/// promised more than the client sends.
/// </summary>
internal sealed class BodyIdleTimer : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly TimeSpan _timeout;
    private readonly CancellationToken _aborted;
    private readonly CancellationTokenRegistration _registration;

    public BodyIdleTimer(TimeSpan timeout, TimeProvider time, CancellationToken aborted)
    {
        _aborted = aborted;
        _timeout = timeout;
        _cts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _registration = aborted.Register(static state => ((CancellationTokenSource)state!).Cancel(), _cts);
    }

    /// <summary>True once a read was cancelled by the timer rather than by the client going away.</summary>
    public bool TimedOut => _cts.IsCancellationRequested && !_aborted.IsCancellationRequested;

    public async ValueTask<int> ReadAsync(Stream body, Memory<byte> buffer)
    {
        _cts.CancelAfter(_timeout);
        var n = await body.ReadAsync(buffer, _cts.Token);
        _cts.CancelAfter(Timeout.InfiniteTimeSpan);
        return n;
    }

    public void Dispose()
    {
        _registration.Dispose();
        _cts.Dispose();
    }
}
