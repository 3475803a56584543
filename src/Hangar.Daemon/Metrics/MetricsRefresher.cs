using Hangar.Core.Resources;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Platform;
using Hangar.Daemon.Postgres;
using Hangar.Proxy.Status;
using Hangar.State;
using Hangar.Supervision;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Metrics;

/// <summary>
/// Every few seconds: keeps one exporter running per local Postgres node and Redis instance (and none for what is
/// gone), rebuilds the service-discovery target list, and publishes the daemon's gauges. Level-triggered like the
/// reconcilers, but without records of its own: what it runs follows from the clusters and instances.
/// </summary>
internal sealed partial class MetricsRefresher(
    RecordStore store,
    Supervisor supervisor,
    PortAllocator ports,
    Exporters exporters,
    PostgresRuntime postgres,
    EmbeddedS3 s3,
    IServer server,
    TimeProvider time,
    ILogger<MetricsRefresher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private volatile IReadOnlyList<ScrapeTarget> _targets = [];

    /// <summary>What Prometheus scrapes, as of the last refresh.</summary>
    public IReadOnlyList<ScrapeTarget> Targets => _targets;

    /// <summary>Runs one refresh now (a new cluster's exporters need not wait for the next tick).</summary>
    public Task RefreshNowAsync(CancellationToken cancellationToken) => RefreshAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        exporters.WriteQueries();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Log.RefreshFailed(logger, ex.Message);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private readonly SemaphoreSlim _gate = new(1, 1);

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var targets = new List<ScrapeTarget>();
            if (DaemonAddress() is { } daemon)
            {
                targets.Add(new ScrapeTarget(daemon, Labels(("job", "hangar"), ("__metrics_path__", MetricsEndpoints.MetricsPath))));
            }

            targets.Add(new ScrapeTarget(s3.AdminUrl.Authority, Labels(("job", "hangar-s3"), ("__metrics_path__", "/_hangar/metrics"))));
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            var owners = new HashSet<string>(StringComparer.Ordinal);
            foreach (var cluster in (await store.ListAsync<PostgresRecord>(PostgresKeys.Prefix, cancellationToken)).Select(r => r.Value))
            {
                if (cluster.Phase is PostgresPhase.Destroying or PostgresPhase.Failed || cluster.Nodes.Count == 0)
                {
                    continue;
                }

                var proxy = ProxyStatus.Read(postgres.ProxyStatusPath(cluster.Name));
                var leader = proxy?.Leader;
                if (proxy?.Metrics is { } proxyMetrics)
                {
                    targets.Add(new ScrapeTarget(proxyMetrics, Labels(("job", "hangar-proxy"), ("cluster", cluster.Name), ("region", cluster.Region))));
                }

                foreach (var node in cluster.Nodes)
                {
                    var owner = Exporters.PostgresPortOwner(cluster.Name, node.Ordinal);
                    owners.Add(owner);
                    var port = (await ports.EnsureAsync(owner, 1, cancellationToken))[0];
                    wanted.Add(Exporters.PostgresProcess(node));
                    await supervisor.EnsureStartedAsync(exporters.PostgresSpec(cluster, node, port), cancellationToken);
                    var role = leader is null ? "unknown" : leader == node.Name ? "primary" : "replica";
                    targets.Add(new ScrapeTarget(exporters.Listen(port), Labels(("job", "postgres"), ("cluster", cluster.Name), ("node", node.Name), ("role", role), ("region", cluster.Region))));
                }
            }

            foreach (var instance in (await store.ListAsync<RedisRecord>(RedisKeys.Prefix, cancellationToken)).Select(r => r.Value))
            {
                if (instance.Phase is not RedisPhase.Running || instance.Port is null)
                {
                    continue;
                }

                owners.Add(Exporters.RedisPortOwner(instance.Name));
                var port = (await ports.EnsureAsync(Exporters.RedisPortOwner(instance.Name), 1, cancellationToken))[0];
                wanted.Add(Exporters.RedisProcess(instance.Name));
                await supervisor.EnsureStartedAsync(exporters.RedisSpec(instance, port), cancellationToken);
                targets.Add(new ScrapeTarget(exporters.Listen(port), Labels(("job", "redis"), ("instance", instance.Name), ("region", instance.Region))));
            }

            await StopUnwantedAsync(wanted, owners, cancellationToken);
            _targets = targets;
            DaemonMetrics.Publish(await SnapshotAsync(cancellationToken));
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task StopUnwantedAsync(HashSet<string> wanted, HashSet<string> owners, CancellationToken cancellationToken)
    {
        foreach (var process in supervisor.List())
        {
            var postgresExporter = process.Name.StartsWith(Exporters.PostgresProcessPrefix, StringComparison.Ordinal);
            if ((postgresExporter || process.Name.StartsWith(Exporters.RedisProcessPrefix, StringComparison.Ordinal)) && !wanted.Contains(process.Name))
            {
                Log.StoppingExporter(logger, process.Name);
                await supervisor.StopAsync(process.Name, cancellationToken);
            }
        }

        // Ports of exporters whose node or instance is gone go back to the range.
        foreach (var port in await store.ListAsync<PortRecord>(StoreKeys.Ports, cancellationToken))
        {
            var owner = port.Value.Owner;
            if (owner.StartsWith("metrics:", StringComparison.Ordinal) && !owners.Contains(owner))
            {
                await ports.ReleaseAsync(owner, cancellationToken);
            }
        }
    }

    private async Task<PlatformSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var volumes = (await store.ListAsync<VolumeRecord>(StoreKeys.Volumes, cancellationToken)).Select(v => v.Value).Where(v => v.Phase != VolumePhase.Destroying).ToList();
        var backups = new List<BackupFigures>();
        var now = time.GetUtcNow();
        foreach (var state in (await store.ListAsync<PostgresBackupState>(BackupKeys.StatePrefix, cancellationToken)).Select(s => s.Value))
        {
            backups.Add(new BackupFigures(
                state.Cluster,
                state.LastBackupAt?.ToUnixTimeMilliseconds() / 1000.0,
                state.ArchiveFailingSince is { } since ? Math.Max(0, (now - since).TotalSeconds) : 0,
                state.LastDrill is { } drill ? (drill.Passed ? 1 : 0) : null,
                state.LastDrill?.RestoreSeconds,
                state.LastDrill?.At.ToUnixTimeMilliseconds() / 1000.0));
        }

        return new PlatformSnapshot(
            volumes.Count,
            volumes.Sum(v => v.SizeGb * (1L << 30)),
            volumes.Sum(v => v.UsedBytes),
            [.. supervisor.List().Select(p => new ProcessFigures(p.Name, p.Restarts, p.State == ProcessState.Running))],
            backups);
    }

    private string? DaemonAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Port > 0 ? uri.Authority : null;
    }

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) =>
        labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);

    private static partial class Log
    {
        [LoggerMessage(9300, LogLevel.Warning, "metrics: refresh failed, again in 5s: {Reason}")]
        public static partial void RefreshFailed(ILogger logger, string reason);

        [LoggerMessage(9301, LogLevel.Information, "metrics: stopping exporter {Process}: its node or instance is gone")]
        public static partial void StoppingExporter(ILogger logger, string process);
    }
}
