using System.Net;
using System.Net.Sockets;
using Hangar.Proxy.Configuration;
using Hangar.Proxy.Diagnostics;
using Hangar.Proxy.Forwarding;

namespace Hangar.Proxy;

internal sealed partial class ProxyHost
{
    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of file descriptors and the like: back off instead of spinning.
                _logger.AcceptFailed(Config.Cluster, e);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            Interlocked.Increment(ref _accepted);
            Interlocked.Increment(ref _handlers);
            // Started inline, not queued: it runs only until the connect to the leader is pending
            // (a few non-blocking syscalls), and a thread-pool hop per connection costs a context
            // switch, which dominated the proxy's CPU per connection under pgbench -C.
            _ = HandleAsync(client);
        }
    }

    private async Task HandleAsync(Socket client)
    {
        var cancellationToken = _stopping.Token;
        var accepted = _time.GetTimestamp();
        _metrics.ConnectionAccepted();
        ForwardedConnection? connection = null;
        try
        {
            if (!SocketTuning.TryConfigure(client))
            {
                return;
            }

            connection = await ConnectToLeaderAsync(client, accepted, cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                return;
            }

            var forwarded = _time.GetTimestamp();
            _metrics.ConnectionForwarded(connection.Node.Name, _time.GetElapsedTime(accepted, forwarded));
            _status?.Signal();
            await connection.RunAsync().ConfigureAwait(false);
            _metrics.ConnectionEnded(connection.Node.Name, _time.GetElapsedTime(forwarded), connection.BytesToServer, connection.BytesToClient);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The proxy is stopping while this client waited for a leader.
        }
        catch (Exception e)
        {
            _logger.ConnectionFailed(Config.Cluster, connection?.ClientEndPoint, e);
        }
        finally
        {
            if (connection is not null)
            {
                _registry.Remove(connection);
                connection.Dispose();
                _status?.Signal();
            }
            else
            {
                client.Dispose();
            }

            HandlerFinished();
        }
    }

    /// <summary>
    /// Waits (bounded) for a leader and connects to it. Nothing has been read from the client yet, so
    /// a failed connect or a leader change in the meantime is retried transparently.
    /// </summary>
    private async Task<ForwardedConnection?> ConnectToLeaderAsync(Socket client, long accepted, CancellationToken cancellationToken)
    {
        var operation = new SocketOperation();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var config = Config;
            var remaining = config.LeaderWaitTimeout - _time.GetElapsedTime(accepted);
            var snapshot = await WaitForLeaderAsync(config, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            if (snapshot?.Leader is not { } node)
            {
                _logger.NoLeader(config.Cluster, config.LeaderWaitTimeout.TotalSeconds, client.RemoteEndPoint);
                _metrics.ConnectionRejected("no_leader");
                operation.Dispose();
                return null;
            }

            var (server, error) = await ConnectAsync(node, config.ConnectTimeout, operation, cancellationToken).ConfigureAwait(false);
            if (server is null)
            {
                _logger.ConnectFailed(config.Cluster, node.Name, $"{node.Host}:{node.Port}", error!);
                if (_time.GetElapsedTime(accepted) >= config.LeaderWaitTimeout)
                {
                    _metrics.ConnectionRejected("connect_failed");
                    operation.Dispose();
                    return null;
                }

                // The leader may just have died: let the next probe round (or a change) decide.
                await _tracker.WaitForChangeAsync(config.PollInterval, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var connection = new ForwardedConnection(client, server, node, operation);
            // Checking the stop flag under the registry lock closes the race with DisposeAsync's final
            // sweep: a connection registered after it would never be aborted and stall the shutdown.
            if (_registry.TryAdd(connection, n => !cancellationToken.IsCancellationRequested && _tracker.Current.Leader == n))
            {
                return connection;
            }

            server.Dispose();
        }
    }

    /// <summary>
    /// The tracker's wait; with a wake file (a cluster that scales to zero) the file is written while there is no
    /// leader, again every <see cref="WakeRepeat"/> in case the daemon was away, and the connection waits meanwhile.
    /// </summary>
    private async ValueTask<Leadership.LeaderSnapshot?> WaitForLeaderAsync(ProxyConfig config, TimeSpan remaining, CancellationToken cancellationToken)
    {
        if (config.WakeFile is not { } wake)
        {
            return await _tracker.WaitForLeaderAsync(remaining, cancellationToken).ConfigureAwait(false);
        }

        while (true)
        {
            if (_tracker.Current.Leader is null)
            {
                RequestWake(config.Cluster, wake);
            }

            var slice = remaining < WakeRepeat ? remaining : WakeRepeat;
            var snapshot = await _tracker.WaitForLeaderAsync(slice, cancellationToken).ConfigureAwait(false);
            remaining -= slice;
            if (snapshot?.Leader is not null || remaining <= TimeSpan.Zero)
            {
                return snapshot;
            }
        }
    }

    /// <summary>Writes the wake file at most every 200 ms, off the socket continuation (inline completions run here).</summary>
    private void RequestWake(string cluster, string wake)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _wokenAt);
        if (last != 0 && _time.GetElapsedTime(last, now) < WakeThrottle || Interlocked.CompareExchange(ref _wokenAt, now, last) != last)
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(
            state =>
            {
                try
                {
                    File.WriteAllText(wake, state.Time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                    state.Logger.WakeRequested(cluster, wake);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    state.Logger.WakeFailed(cluster, wake, e.Message);
                }
            },
            (Time: _time, Logger: _logger),
            preferLocal: false);
    }

    private async ValueTask<(Socket? Socket, string? Error)> ConnectAsync(ProxyNodeConfig node, TimeSpan timeout, SocketOperation operation, CancellationToken cancellationToken)
    {
        EndPoint endPoint;
        Socket socket;
        if (IPAddress.TryParse(node.Host, out var address))
        {
            endPoint = new IPEndPoint(address, node.Port);
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        }
        else
        {
            endPoint = new DnsEndPoint(node.Host, node.Port);
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        }

        SocketResult result;
        bool timedOut;
        using (var timeoutSource = new CancellationTokenSource(timeout, _time))
        {
            // Disposing the socket completes a pending connect with OperationAborted: a value, not a throw.
            using (timeoutSource.Token.Register(static s => ((Socket)s!).Dispose(), socket))
            using (cancellationToken.Register(static s => ((Socket)s!).Dispose(), socket))
            {
                result = await operation.ConnectAsync(socket, endPoint).ConfigureAwait(false);
            }

            // The registrations are gone, so the socket can no longer be disposed behind our back;
            // if a callback ran just after the connect succeeded, the socket is unusable.
            timedOut = timeoutSource.IsCancellationRequested;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (result.Succeeded && !timedOut && SocketTuning.TryConfigure(socket))
        {
            return (socket, null);
        }

        socket.Dispose();
        return (null, timedOut ? $"timed out after {timeout.TotalMilliseconds:0} ms" : result.Succeeded ? "connection reset at once" : result.Error.ToString());
    }
}
