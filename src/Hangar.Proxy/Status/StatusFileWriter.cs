using Hangar.Proxy.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Hangar.Proxy.Status;

/// <summary>
/// Writes the status file atomically (temp file + rename) whenever something changed, at most once
/// per <see cref="MinInterval"/>: connection churn would otherwise mean a file write per connect.
/// </summary>
internal sealed class StatusFileWriter : IAsyncDisposable
{
    internal static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    private readonly string _path;
    private readonly string _cluster;
    private readonly Func<ProxyStatus> _snapshot;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _dirty = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public StatusFileWriter(string path, string cluster, Func<ProxyStatus> snapshot, TimeProvider time, ILogger logger)
    {
        _path = path;
        _cluster = cluster;
        _snapshot = snapshot;
        _time = time;
        _logger = logger;
        Write();
        _loop = RunAsync(_stopping.Token);
    }

    public void Signal()
    {
        // CurrentCount 1 means a write is already pending; the pending write will see this change too.
        if (_dirty.CurrentCount == 0)
        {
            try
            {
                _dirty.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another thread signalled at the same moment: one pending write is enough.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        Write();
        _stopping.Dispose();
        _dirty.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _dirty.WaitAsync(cancellationToken).ConfigureAwait(false);
                Write();
                await Task.Delay(MinInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping; DisposeAsync writes the final state.
        }
    }

    private void Write()
    {
        var temp = _path + ".tmp";
        try
        {
            var bytes = _snapshot().ToUtf8Json();
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.StatusWriteFailed(_cluster, _path, e.Message);
        }
    }
}
