using System.Collections.Concurrent;
using Hangar.Core.Errors;
using Hangar.Daemon.Postgres;
using Hangar.Daemon.Postgres.Backups;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Dashboard;

/// <summary>
/// The long operations a cluster page starts — a restore drill (tens of seconds), a failover, a rolling restart — run
/// here in the background through the same services the API uses, one at a time per cluster, so the button's POST
/// answers at once and the page (refreshing itself while one runs) shows progress and then the result. Kept in memory:
/// a drill's result also lands in the backup state, where the page reads it after a daemon restart.
/// </summary>
internal sealed partial class DashboardOperations(
    PostgresBackupService backups,
    PostgresService postgres,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DashboardOperations> logger)
{
    public const string Drill = "drill";
    public const string Failover = "failover";
    public const string Restart = "restart";

    private readonly ConcurrentDictionary<string, Operation> _byCluster = new(StringComparer.Ordinal);

    public sealed record Operation(string Kind, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt = null, bool? Passed = null, string? Detail = null)
    {
        public bool Running => FinishedAt is null;
    }

    public Operation? Of(string cluster) => _byCluster.GetValueOrDefault(cluster);

    /// <summary>False when an operation of the cluster is still running (the new one is not started).</summary>
    public bool TryStart(string cluster, string kind)
    {
        var started = new Operation(kind, time.GetUtcNow());
        while (true)
        {
            var current = _byCluster.GetValueOrDefault(cluster);
            if (current is { Running: true })
            {
                return false;
            }

            if (current is null ? _byCluster.TryAdd(cluster, started) : _byCluster.TryUpdate(cluster, started, current))
            {
                break;
            }
        }

        Log.Started(logger, kind, cluster);
        _ = Task.Run(() => RunAsync(cluster, started));
        return true;
    }

    private async Task RunAsync(string cluster, Operation started)
    {
        var stopping = lifetime.ApplicationStopping;
        bool passed;
        string detail;
        try
        {
            (passed, detail) = started.Kind switch
            {
                Drill => await DrillAsync(cluster, stopping),
                Failover => await FailoverAsync(cluster, stopping),
                Restart => await RestartAsync(cluster, stopping),
                _ => throw new ArgumentOutOfRangeException(nameof(started), started.Kind, "unknown operation"),
            };
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            (passed, detail) = (false, "the daemon stopped before it finished");
        }
        catch (HangarException ex)
        {
            (passed, detail) = (false, ex.Message);
        }
        catch (Exception ex)
        {
            Log.Crashed(logger, started.Kind, cluster, ex);
            (passed, detail) = (false, $"internal error: {ex.GetType().Name}; see the daemon log");
        }

        _byCluster[cluster] = started with { FinishedAt = time.GetUtcNow(), Passed = passed, Detail = detail };
        Log.Finished(logger, started.Kind, cluster, passed ? "succeeded" : "failed", detail);
    }

    private async Task<(bool, string)> DrillAsync(string cluster, CancellationToken cancellationToken)
    {
        var drill = await backups.DrillAsync(cluster, cancellationToken);
        return (drill.Passed, drill.Detail);
    }

    private async Task<(bool, string)> FailoverAsync(string cluster, CancellationToken cancellationToken)
    {
        var result = await postgres.FailoverAsync(cluster, cancellationToken);
        return (true, $"leader is now {result.NewLeader} (was {result.OldLeader}), {result.Seconds:0.0} s");
    }

    private async Task<(bool, string)> RestartAsync(string cluster, CancellationToken cancellationToken)
    {
        var result = await postgres.RestartAsync(cluster, cancellationToken);
        return (true, $"restarted {string.Join(", ", result.Restarted)} in {result.Seconds:0.0} s");
    }

    private static partial class Log
    {
        [LoggerMessage(9100, LogLevel.Information, "dashboard: {Kind} of cluster {Cluster} started")]
        public static partial void Started(ILogger logger, string kind, string cluster);

        [LoggerMessage(9101, LogLevel.Information, "dashboard: {Kind} of cluster {Cluster} {Outcome}: {Detail}")]
        public static partial void Finished(ILogger logger, string kind, string cluster, string outcome, string detail);

        [LoggerMessage(9102, LogLevel.Error, "dashboard: {Kind} of cluster {Cluster} crashed")]
        public static partial void Crashed(ILogger logger, string kind, string cluster, Exception exception);
    }
}
