using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Postgres.Pooling;

namespace Hangar.Daemon.Mpg;

/// <summary>
/// Attach, detach, config and failover: the Postgres service does the work; the pool adds its URL, its settings and
/// (through <see cref="PoolPause"/>, which every switchover of the cluster calls) the pause around a leader change.
/// </summary>
internal sealed partial class MpgService
{
    public async Task<PostgresAttached> AttachAsync(string name, MpgAttachRequest request, CancellationToken cancellationToken)
    {
        var mpg = await RequireRunningAsync(name, cancellationToken);
        return await postgres.AttachAsync(name, new PostgresAttachRequest(request.App, request.DatabaseName, VariableName: request.VariableName), mpg.PoolPort, cancellationToken);
    }

    public async Task DetachAsync(string name, string app, string? variable, CancellationToken cancellationToken)
    {
        await RequireRunningAsync(name, cancellationToken);
        await postgres.DetachAsync(name, app, variable, cancellationToken);
    }

    public async Task<MpgConfigInfo> ConfigAsync(string name, CancellationToken cancellationToken)
    {
        var mpg = await RequireRunningAsync(name, cancellationToken);
        return ConfigInfo(mpg, await postgres.ConfigAsync(name, cancellationToken));
    }

    /// <summary>
    /// Pool size and mode are checked against the cluster's max_connections (the new one when it changes too) before
    /// anything is written; Postgres settings then go through `postgres config update` (a restart it needs, with
    /// --force, is a rolling restart whose switchover pauses the pool), then the pool's own settings, which PgBouncer
    /// reloads without dropping a connection.
    /// </summary>
    public async Task<MpgConfigInfo> UpdateConfigAsync(string name, MpgConfigUpdateRequest request, CancellationToken cancellationToken)
    {
        var mpg = await RequireRunningAsync(name, cancellationToken);
        var maxConnections = request.MaxConnections ?? mpg.MaxConnections;
        var poolSize = request.PoolSize ?? mpg.PoolSize;
        var poolMode = request.PoolMode ?? mpg.PoolMode;
        var problems = new ProblemList();
        problems.Check(PgBouncerConfig.PoolModes.Contains(poolMode), $"invalid --pool-mode '{request.PoolMode}': one of {string.Join(", ", PgBouncerConfig.PoolModes)}");
        problems.Check(poolSize >= 1 && poolSize <= MpgPlans.MaxPoolSize(maxConnections),
            $"invalid --pool-size {poolSize}: at most {MpgPlans.MaxPoolSize(maxConnections)} (max_connections {maxConnections} less {MpgPlans.ReservedConnections} kept for replication and administration), at least 1");
        problems.ThrowIfAny();

        var postgresChange = request.MaxConnections is not null || request.SharedBuffers is not null || request.WorkMem is not null
            || request.LogMinDurationStatement is not null || request.LogStatement is not null;
        var postgresConfig = postgresChange
            ? await postgres.UpdateConfigAsync(name, new PostgresConfigUpdateRequest
            {
                MaxConnections = request.MaxConnections,
                SharedBuffers = request.SharedBuffers,
                WorkMem = request.WorkMem,
                LogMinDurationStatement = request.LogMinDurationStatement,
                LogStatement = request.LogStatement,
                Force = request.Force,
            }, cancellationToken)
            : await postgres.ConfigAsync(name, cancellationToken);

        var updated = await store.MutateAsync<MpgRecord>(
            MpgKeys.Cluster(name),
            r => r.PoolSize == poolSize && r.PoolMode == poolMode && r.MaxConnections == maxConnections
                ? null
                : r with { PoolSize = poolSize, PoolMode = poolMode, MaxConnections = maxConnections, Generation = r.Generation + 1 },
            cancellationToken) ?? throw HangarException.NotFound("mpg cluster", name);
        await _wait.UntilAsync<MpgRecord>(MpgKeys.Cluster(name), r => r is null || r.AppliedGeneration >= updated.Generation, ApplyLimit, Busy, cancellationToken);
        Log.PoolUpdated(_logger, name, poolSize, poolMode, maxConnections);
        return ConfigInfo(updated, postgresConfig);
    }

    /// <summary>`mpg failover`: the Postgres switchover, which pauses and resumes the pool around the leader change.</summary>
    public async Task<PostgresFailoverResult> FailoverAsync(string name, CancellationToken cancellationToken)
    {
        await RequireRunningAsync(name, cancellationToken);
        return await postgres.FailoverAsync(name, cancellationToken);
    }

    private static MpgConfigInfo ConfigInfo(MpgRecord mpg, PostgresConfigInfo postgresConfig) =>
        new(postgresConfig, mpg.PoolSize, mpg.PoolMode, mpg.MaxClientConnections, MpgPlans.MaxPoolSize(mpg.MaxConnections));
}
