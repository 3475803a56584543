using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Postgres.Logging;
using Hangar.Postgres.Rest;
using Microsoft.Extensions.Logging;
using Npgsql;

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

        // A pooler in front holds its clients from before the leader steps down until the cluster port reaches the
        // new one, so they see a pause instead of a cut connection.
        var pause = await access.PauseClientsAsync(cancellationToken).ConfigureAwait(false);
        await using (pause.ConfigureAwait(false))
        {
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

            // Patroni reports the candidate as leader once it holds the key, while PostgreSQL is still finishing
            // recovery (a second or two on a busy host): paused clients let go before that would get "read-only".
            await WaitWritableAsync(access.Node(candidate.Name), deadline, cancellationToken).ConfigureAwait(false);
        }

        OperationsLog.SwitchedOver(logger, access.Name, leader.Name, candidate.Name);
        await HealthWait.WaitAsync(access, Limit, time, cancellationToken).ConfigureAwait(false);
        return (leader.Name, candidate.Name);
    }

    private async Task WaitWritableAsync(PostgresNodeRecord node, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(access.NodeAdminConnectionString(node)) { Pooling = false, Timeout = 3, CommandTimeout = 3 }.ConnectionString;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
                if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is false)
                {
                    return;
                }
            }
            catch (NpgsqlException) when (time.GetUtcNow() < deadline)
            {
                // Still starting up or finishing recovery.
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new HangarException(ErrorCodes.Unavailable, $"switchover of '{access.Name}': {node.Name} leads but did not finish recovery within {Limit.TotalSeconds:0}s");
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The healthiest running replica: the sync standby (the only one Patroni accepts in synchronous mode), else the least lag.</summary>
    public static PatroniMember? Candidate(PatroniCluster state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Replicas.Where(m => m.IsRunning)
            .OrderByDescending(m => m.Role == PatroniRoles.SyncStandby).ThenBy(m => m.LagBytes ?? long.MaxValue).FirstOrDefault();
    }
}
