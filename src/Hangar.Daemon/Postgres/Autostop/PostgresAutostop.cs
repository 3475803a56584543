using System.Collections.Concurrent;
using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Daemon.Reconcile;
using Hangar.Daemon.Sqlite;
using Hangar.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hangar.Daemon.Postgres.Autostop;

/// <summary>
/// Scale to zero (`postgres create --autostop`): a single-node cluster with no connection on its cluster port for
/// <see cref="PostgresRecord.AutostopSeconds"/> is suspended — <see cref="PostgresRecord.Suspended"/> written first, so
/// the reconciler (and a restarted daemon) leaves the node stopped, then Patroni stopped (it stops PostgreSQL). The
/// proxy keeps the port: a connection that finds no leader waits in the proxy, which writes the wake file; this loop
/// sees it within <see cref="Tick"/>, clears the flag and starts the node, and the proxy hands the connection over once
/// the node leads. Idleness is the proxy's count of connections (forwarded and kernel-steered), checked again against
/// pg_stat_activity just before the stop. One cluster's suspend and wake never run at once (a gate per cluster).
/// </summary>
internal sealed partial class PostgresAutostop(
    PostgresReconciler reconciler,
    RecordStore store,
    IPostgresNodes nodes,
    PostgresRuntime runtime,
    ILogger<PostgresAutostop> logger,
    TimeProvider time) : BackgroundService
{
    public const string SuspendedState = "suspended";
    public const string WakeFileName = "wake";
    public const string DefaultDuration = "1h";
    public const int ProxyLeaderWaitMs = 60_000;

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinDuration = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDuration = TimeSpan.FromHours(720);
    private static readonly TimeSpan WakeLimit = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lastActive = new(StringComparer.Ordinal);

    /// <summary>`--autostop` DURATION (a Go duration, as flyctl's): null with a problem added when it is not one in range.</summary>
    public static TimeSpan? Parse(string text, ProblemList problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var parsed = LitestreamConfig.ParseDuration(text);
        if (parsed is not { } duration || duration < MinDuration || duration > MaxDuration || duration.TotalSeconds != Math.Floor(duration.TotalSeconds))
        {
            problems.Add($"invalid --autostop {Printable.Quote(text)}: a duration of whole seconds from 1s to 720h, such as 30s, 15m or 1h (default {DefaultDuration})");
            return null;
        }

        return duration;
    }

    public string WakePath(string cluster) => Path.Combine(runtime.ClusterDirectory(cluster), WakeFileName);

    /// <summary>Starts a suspended cluster for an API call that needs it and waits until the proxy routes to its leader.</summary>
    public async Task<PostgresRecord> WakeAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        await ResumeAsync(cluster.Name, "an API call", cancellationToken);
        while (runtime.ProxyStatus(cluster.Name)?.Leader is null)
        {
            if (time.GetElapsedTime(started) > WakeLimit)
            {
                throw new HangarException(ErrorCodes.Unavailable, $"postgres cluster '{cluster.Name}' was suspended and did not lead within {WakeLimit.TotalSeconds:0}s of being started; see `hangar postgres status -a {cluster.Name}`");
            }

            await Task.Delay(Tick, time, cancellationToken);
        }

        return (await store.GetAsync<PostgresRecord>(PostgresKeys.Cluster(cluster.Name), cancellationToken))?.Value ?? cluster;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await StopLeftoversAsync(stoppingToken);
        using var timer = new PeriodicTimer(Tick, time);
        var idleCheckedAt = 0L;
        while (await PeriodicTicks.NextAsync(timer, stoppingToken))
        {
            var checkIdle = idleCheckedAt == 0 || time.GetElapsedTime(idleCheckedAt) >= IdleCheck;
            if (checkIdle)
            {
                idleCheckedAt = time.GetTimestamp();
            }

            foreach (var cluster in reconciler.Running.Where(c => c.AutostopSeconds is not null && c.Phase == PostgresPhase.Running))
            {
                try
                {
                    if (File.Exists(WakePath(cluster.Name)))
                    {
                        await ResumeAsync(cluster.Name, "a connection", stoppingToken);
                    }
                    else if (checkIdle && !cluster.Suspended)
                    {
                        await CheckIdleAsync(cluster, stoppingToken);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.Failed(logger, cluster.Name, ex.Message);
                }
            }
        }
    }

    private async Task CheckIdleAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var status = runtime.ProxyStatus(cluster.Name);
        if (!_lastActive.TryGetValue(cluster.Name, out var last) || status is not { ActiveConnections: 0, Leader: not null })
        {
            // First look since start, a connection, a proxy whose status cannot be read, or no leader yet (a wake in
            // progress, whose waiting connections the proxy does not count): the clock starts again.
            _lastActive[cluster.Name] = now;
            return;
        }

        if (time.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(cluster.AutostopSeconds!.Value))
        {
            await SuspendAsync(cluster.Name, cancellationToken);
        }
    }

    private async Task SuspendAsync(string name, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var cluster = (await store.GetAsync<PostgresRecord>(PostgresKeys.Cluster(name), cancellationToken))?.Value;
            if (cluster is not { Phase: PostgresPhase.Running, Suspended: false, AutostopSeconds: { } seconds })
            {
                return;
            }

            // The proxy counts steered connections once a second: one that came in since is seen here.
            var sessions = await ClientSessionsAsync(cluster, cancellationToken);
            if (sessions != 0)
            {
                _lastActive[name] = time.GetTimestamp();
                return;
            }

            File.Delete(WakePath(name));
            if (await store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster(name), r => r.Phase == PostgresPhase.Running && !r.Suspended ? r with { Suspended = true } : null, cancellationToken) is not { Suspended: true })
            {
                return;
            }

            var started = time.GetTimestamp();
            foreach (var node in cluster.Nodes)
            {
                await nodes.StopNodeAsync(name, node, cancellationToken);
            }

            Log.Suspended(logger, name, seconds, time.GetElapsedTime(started).TotalMilliseconds);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task ResumeAsync(string name, string why, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            File.Delete(WakePath(name));
            _lastActive[name] = time.GetTimestamp();
            var cluster = (await store.GetAsync<PostgresRecord>(PostgresKeys.Cluster(name), cancellationToken))?.Value;
            if (cluster is not { Suspended: true })
            {
                // Not suspended: a second wake request, or a connection that found no leader for another reason.
                return;
            }

            // Started here rather than by the reconciler's next pass: the client is waiting on the other end. Started
            // before the flag is cleared, so the reconciler (which leaves a suspended cluster alone) never starts it too;
            // a daemon killed in between leaves it running under a suspended record, which the next start stops.
            foreach (var node in cluster.Nodes)
            {
                await nodes.StartNodeAsync(cluster, node, cancellationToken);
            }

            await store.MutateAsync<PostgresRecord>(PostgresKeys.Cluster(name), r => r.Suspended ? r with { Suspended = false } : null, cancellationToken);
            Log.Resumed(logger, name, why);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Client sessions on the node other than this one (Patroni's own use the Unix socket, so no client port).</summary>
    private async Task<long> ClientSessionsAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(runtime.NodeAdminConnectionString(cluster, cluster.Nodes[0])) { Pooling = false, Timeout = 5 };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND client_port > 0", connection);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (NpgsqlException ex)
        {
            // A node that does not answer is not suspended on a guess; the next idle check tries again.
            Log.Failed(logger, cluster.Name, ex.Message);
            return -1;
        }
    }

    /// <summary>A daemon killed between writing Suspended and stopping the node leaves it running unsupervised: stop it now.</summary>
    private async Task StopLeftoversAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var cluster in (await store.ListAsync<PostgresRecord>(PostgresKeys.Prefix, cancellationToken)).Select(r => r.Value))
            {
                if (!cluster.Suspended)
                {
                    continue;
                }

                foreach (var node in cluster.Nodes.Where(n => !nodes.IsSupervised(PostgresKeys.NodeProcess(cluster.Name, n.Ordinal))))
                {
                    await nodes.StopNodeAsync(cluster.Name, node, cancellationToken);
                }
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.Failed(logger, "*", ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6450, LogLevel.Information, "postgres {Name}: suspended after {Seconds}s without a connection (autostop); node stopped in {Milliseconds:0} ms, the cluster port wakes it")]
        public static partial void Suspended(ILogger logger, string name, int seconds, double milliseconds);

        [LoggerMessage(6451, LogLevel.Information, "postgres {Name}: resumed for {Why}; node starting")]
        public static partial void Resumed(ILogger logger, string name, string why);

        [LoggerMessage(6452, LogLevel.Warning, "postgres {Name}: autostop step failed: {Reason}")]
        public static partial void Failed(ILogger logger, string name, string reason);
    }
}
