using Hangar.Proxy.Configuration;
using Hangar.Proxy.Diagnostics;
using Hangar.Proxy.Steering;

namespace Hangar.Proxy;

internal sealed partial class ProxyHost
{
    private static readonly TimeSpan SteerRetry = TimeSpan.FromSeconds(1);

    // Counting reads /proc/net/tcp and this process's fds: for the status file, once a second is plenty.
    private static readonly TimeSpan CountInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Keeps the steering slot on the tracker's leader: a new leader gets its listening socket in the slot and the
    /// old leader's steered connections are terminated; no leader empties the slot (connections then wait in this
    /// process, as without steering); a leader whose postmaster restarted is steered to again.
    /// </summary>
    private async Task SteerLoopAsync(LeaderSteering steering, CancellationToken cancellationToken)
    {
        try
        {
            await FollowLeaderAsync(steering, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A slot that no longer follows the leader must not keep steering: without the link every new
            // connection reaches this process's listener and is forwarded.
            steering.Dispose();
            _logger.SteeringFailed(Config.Cluster, ex);
        }
    }

    private async Task FollowLeaderAsync(LeaderSteering steering, CancellationToken cancellationToken)
    {
        ProxyNodeConfig? steeredNode = null;
        int? steeredPid = null;
        var inSlot = false;
        long? failedAt = null;
        ProxyNodeConfig? warnedAbout = null;
        long? countedAt = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            // The flag first: a change after this read sets it again for the next round, with the leader it made.
            var mustClose = Interlocked.Exchange(ref _steeredMustClose, 0) == 1;
            var leader = _tracker.Current.Leader;
            if (leader is null || leader != steeredNode)
            {
                if (inSlot)
                {
                    steering.Clear();
                    inSlot = false;
                }

                // The old leader's connections end as forwarded ones do (OnLeaderChanged): on a new leader, or
                // when the old one is known not to lead; a leader merely unreachable keeps them.
                if (steeredPid is { } old && (leader is not null || mustClose))
                {
                    _ = TerminateSteeredAsync(steering, old, cancellationToken);
                    steeredPid = null;
                    steeredNode = null;
                }
            }
            else if (inSlot && !steering.HasTarget())
            {
                inSlot = false; // its postmaster exited: the socket left the slot by itself
            }

            if (leader is not null && !inSlot && (failedAt is not { } failed || _time.GetElapsedTime(failed) >= SteerRetry))
            {
                var (pid, error) = steering.Steer(leader);
                if (pid is { } postmaster)
                {
                    (steeredNode, steeredPid, inSlot, warnedAbout, failedAt) = (leader, postmaster, true, null, null);
                    _logger.Steered(Config.Cluster, leader.Name, postmaster);
                }
                else
                {
                    failedAt = _time.GetTimestamp();
                    if (warnedAbout != leader)
                    {
                        warnedAbout = leader;
                        _logger.SteerFailed(Config.Cluster, leader.Name, error!);
                    }
                }
            }

            if (countedAt is not { } counted || _time.GetElapsedTime(counted) >= CountInterval)
            {
                countedAt = _time.GetTimestamp();
                var count = steering.SteeredConnections();
                if (Interlocked.Exchange(ref _steeredConnections, count) != count)
                {
                    _status?.Signal();
                }
            }

            try
            {
                await _tracker.WaitForChangeAsync(Config.PollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task TerminateSteeredAsync(LeaderSteering steering, int postmaster, CancellationToken cancellationToken)
    {
        try
        {
            var count = await steering.TerminateAsync(postmaster, cancellationToken).ConfigureAwait(false);
            if (count > 0)
            {
                _metrics.FailoverClosed(count);
                _logger.SteeredTerminated(Config.Cluster, count, postmaster);
            }
        }
        catch (OperationCanceledException)
        {
            // The proxy is stopping.
        }
    }
}
