using Hangar.Core.Errors;
using Hangar.Postgres.Logging;
using Hangar.Postgres.Rest;
using Microsoft.Extensions.Logging;

namespace Hangar.Postgres.Operations;

/// <summary>
/// A planned handover to the healthiest replica: waits for a healthy cluster (only then is the sync standby known),
/// asks the leader's Patroni, and returns once the candidate leads, the proxy routes to it and the cluster is healthy again.
/// </summary>
public sealed class Switchover(ClusterAccess access, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public async Task<(string OldLeader, string NewLeader)> RunAsync(CancellationToken cancellationToken)
    {
        var (state, error) = await access.StateAsync(cancellationToken).ConfigureAwait(false);
        if (state?.Leader is not { } leader)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"postgres cluster '{access.Name}' has no leader to hand over from ({error ?? "none elected"})");
        }

        if (state.Replicas.Any(m => m.IsRunning))
        {
            // Right after a failover or a restart Patroni is still choosing the sync standby, and only it qualifies.
            state = await HealthWait.WaitAsync(access, Limit, time, cancellationToken).ConfigureAwait(false);
            leader = state.Leader!;
        }

        var candidate = Candidate(state)
            ?? throw HangarException.Precondition($"postgres cluster '{access.Name}' has no running replica to fail over to; scale it up first (`hangar scale count 2 -a {access.Name}`)");
        var leaderNode = access.Node(leader.Name);
        await PatroniCalls.RunAsync(() => access.Patroni(leaderNode).SwitchoverAsync(leader.Name, candidate.Name, cancellationToken)).ConfigureAwait(false);
        var deadline = time.GetUtcNow() + Limit;
        while (true)
        {
            var (now, _) = await access.StateAsync(cancellationToken).ConfigureAwait(false);
            if (now?.Leader is { IsRunning: true } current && current.Name == candidate.Name && access.ProxyLeader() == candidate.Name)
            {
                break;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new HangarException(ErrorCodes.Unavailable, $"switchover of '{access.Name}' to {candidate.Name} did not finish within {Limit.TotalSeconds:0}s: {(now is null ? "no answer" : ClusterHealth.Describe(now))}");
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }

        OperationsLog.SwitchedOver(logger, access.Name, leader.Name, candidate.Name);
        await HealthWait.WaitAsync(access, Limit, time, cancellationToken).ConfigureAwait(false);
        return (leader.Name, candidate.Name);
    }

    /// <summary>The healthiest running replica: the sync standby (the only one Patroni accepts in synchronous mode), else the least lag.</summary>
    public static PatroniMember? Candidate(PatroniCluster state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Replicas.Where(m => m.IsRunning)
            .OrderByDescending(m => m.Role == PatroniRoles.SyncStandby).ThenBy(m => m.LagBytes ?? long.MaxValue).FirstOrDefault();
    }
}
