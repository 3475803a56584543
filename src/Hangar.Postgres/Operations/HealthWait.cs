using Hangar.Core.Resources;
using Hangar.Postgres.Rest;

namespace Hangar.Postgres.Operations;

/// <summary>
/// Waits until <see cref="ClusterHealth.IsHealthy"/> holds and the proxy routes to the leader Patroni reports.
/// Operations wait here between steps; a reconcile pass never does.
/// </summary>
public static class HealthWait
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static Task<PatroniCluster> WaitAsync(ClusterAccess access, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        return WaitAsync(access.Cluster, access.StateAsync, access.ProxyLeader, limit, time, cancellationToken);
    }

    /// <summary>The loop on its own, fed by any state source (a unit test's script, or Patroni through <see cref="ClusterAccess"/>).</summary>
    internal static async Task<PatroniCluster> WaitAsync(
        PostgresRecord cluster,
        Func<CancellationToken, Task<(PatroniCluster? Cluster, string? Error)>> state,
        Func<string?> proxyLeader,
        TimeSpan limit,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + limit;
        var last = "no answer yet";
        while (true)
        {
            var (now, error) = await state(cancellationToken).ConfigureAwait(false);
            if (now is not null)
            {
                last = ClusterHealth.Describe(now);
                if (ClusterHealth.IsHealthy(cluster, now) && proxyLeader() == now.Leader!.Name)
                {
                    return now;
                }
            }
            else
            {
                last = error ?? last;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new TimeoutException(last);
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
