using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Postgres.Checks;
using Hangar.Postgres.Operations;
using Hangar.Postgres.Rest;
using Hangar.Postgres.Settings;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// Failover, restart, config and checks: validated here, run by the operations in Hangar.Postgres
/// (<see cref="Switchover"/>, <see cref="RollingRestart"/>, <see cref="ParameterRollout"/>).
/// </summary>
internal sealed partial class PostgresService
{
    /// <summary>`postgres failover`: a planned switchover to the healthiest replica (the sync standby when synchronous).</summary>
    public async Task<PostgresFailoverResult> FailoverAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        var started = time.GetTimestamp();
        var (oldLeader, newLeader) = await new Switchover(runtime.Access(cluster), time, loggers.CreateLogger<Switchover>()).RunAsync(cancellationToken);
        return new PostgresFailoverResult(oldLeader, newLeader, time.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>`postgres restart`: replicas one by one, then a switchover, then the old leader; healthy in between.</summary>
    public async Task<PostgresRestartResult> RestartAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        var started = time.GetTimestamp();
        var access = runtime.Access(cluster);
        await Rollout(access).EnsureStatementStatisticsPreloadedAsync(cancellationToken);
        var restarted = await new RollingRestart(access, time, loggers.CreateLogger<RollingRestart>()).RunAsync(null, cancellationToken);
        var (state, _) = await access.StateAsync(cancellationToken);
        return new PostgresRestartResult(restarted, state?.Leader?.Name ?? "none", time.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>`postgres config show`: works without a leader (the configuration lives in etcd, any member serves it).</summary>
    public async Task<PostgresConfigInfo> ConfigAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        var access = runtime.Access(cluster);
        var rollout = Rollout(access);
        var (state, _) = await access.StateAsync(cancellationToken);
        var now = await rollout.AppliedEverywhereAsync(new Dictionary<string, string?>(), cancellationToken);
        return await ConfigInfoAsync(rollout, state, now.Pending, restarted: false, cancellationToken) with { NoLeader = state?.Leader is not { IsRunning: true } };
    }

    /// <summary>
    /// `postgres config update`: every value checked against PostgreSQL's rules first (nothing is written when one is
    /// wrong), then written to the dynamic configuration through any member or etcd itself. With a running leader it
    /// waits for every node to reload and restarts with --force as before; without one (the repair of a cluster whose
    /// nodes cannot start) it returns once the value is stored, and each Patroni applies it when it comes back.
    /// </summary>
    public async Task<PostgresConfigInfo> UpdateConfigAsync(string name, PostgresConfigUpdateRequest request, CancellationToken cancellationToken)
    {
        var requested = PostgresSettings.Requested(name, request);
        var cluster = await RequireRunningAsync(name, cancellationToken);
        var nodes = cluster.Nodes.OrderBy(n => n.Ordinal).Select(n => runtime.NodeAdminConnectionString(cluster, n));
        var (specs, fromServer) = await SettingCatalog.LoadAsync(nodes, [.. requested.Select(r => r.Parameter).Distinct()], cancellationToken);
        var parameters = PostgresSettings.Validate(requested, specs);
        var access = runtime.Access(cluster);
        var rollout = Rollout(access);
        var (state, _) = await access.StateAsync(cancellationToken);
        await rollout.WriteAsync(state, parameters, cancellationToken);
        Log.ConfigUpdated(_logger, name, string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value}")), fromServer ? "pg_settings" : "built-in rules");
        if (state?.Leader is not { IsRunning: true })
        {
            return await ConfigInfoAsync(rollout, state, [], restarted: false, cancellationToken) with { NoLeader = true };
        }

        var result = await rollout.WaitAppliedEverywhereAsync(parameters, cancellationToken);
        if (!result.Applied)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"the new configuration of '{name}' was stored but not every node reloaded it within {ParameterRollout.AppliedLimit.TotalSeconds:0}s; check `hangar postgres config show -a {name}`");
        }

        if (result.Pending.Count > 0 && request.Force)
        {
            await new RollingRestart(access, time, loggers.CreateLogger<RollingRestart>()).RunAsync(result.Pending, cancellationToken);
            return await ConfigInfoAsync(rollout, state, [], restarted: true, cancellationToken);
        }

        return await ConfigInfoAsync(rollout, state, result.Pending, restarted: false, cancellationToken);
    }

    /// <summary>vm, pg and role per node (Fly's three); null when there is no such cluster.</summary>
    public async Task<IReadOnlyList<CheckInfo>?> ChecksAsync(string name, CancellationToken cancellationToken)
    {
        if (await FindAsync(name, cancellationToken) is not { } cluster)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (cluster.Phase != PostgresPhase.Running)
        {
            return [new CheckInfo("pg", "critical", $"cluster is {cluster.Phase.ToString().ToLowerInvariant()}", cluster.Name, now)];
        }

        if (cluster.Suspended)
        {
            return [new CheckInfo("pg", "passing", "suspended (autostop): the next connection starts it", cluster.Name, now)];
        }

        var results = await Task.WhenAll(cluster.Nodes.OrderBy(n => n.Ordinal).Select(async node =>
        {
            var checks = new PostgresChecks(
                node.Name,
                runtime.Patroni(cluster, node),
                runtime.NodeAdminConnectionString(cluster, node),
                Path.Combine(runtime.NodeRoot(node), "data"),
                time,
                loggers.CreateLogger<PostgresChecks>());
            var resource = PostgresKeys.NodeProcess(cluster.Name, node.Ordinal);
            return (await checks.RunAsync(cancellationToken)).Select(c => new CheckInfo(c.Name, c.Status.ToString().ToLowerInvariant(), c.Output, resource, time.GetUtcNow()));
        }));
        return [.. results.SelectMany(r => r)];
    }

    /// <summary>
    /// The node each of <paramref name="pids"/> is a backend of (pg_stat_activity of every node, straight to its own
    /// port); a pid no node has is left out. Shows where a pooler's server connections really are.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, string>> BackendNodesAsync(PostgresRecord cluster, IReadOnlyList<int> pids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<int, string>();
        if (pids.Count == 0)
        {
            return found;
        }

        foreach (var node in cluster.Nodes.OrderBy(n => n.Ordinal))
        {
            try
            {
                await using var connection = new NpgsqlConnection(runtime.NodeAdminConnectionString(cluster, node) + ";Pooling=false;Timeout=3;Command Timeout=5");
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE pid = ANY(@pids)", connection);
                command.Parameters.AddWithValue("pids", pids.ToArray());
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    found[reader.GetInt32(0)] = node.Name;
                }
            }
            catch (NpgsqlException)
            {
                // A node that is down has no backends to show.
            }
        }

        return found;
    }

    private ParameterRollout Rollout(ClusterAccess access) => new(access, store.Inner, time, loggers.CreateLogger<ParameterRollout>());

    private static async Task<PostgresConfigInfo> ConfigInfoAsync(ParameterRollout rollout, PatroniCluster? state, IReadOnlyList<string> pending, bool restarted, CancellationToken cancellationToken) =>
        new(await rollout.ParametersAsync(state, cancellationToken), pending, restarted);
}
