using Hangar.Core.Resources;
using Hangar.Daemon.Storage;
using Hangar.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Postgres.Backups;

/// <summary>
/// Every <see cref="Interval"/> (or when poked by an enable) takes each cluster with backups one step further:
/// configure, the first full backup, then a daily differential and a weekly full (pgBackRest expires what falls out
/// of the retention after each), and watches the archiver. Level-triggered: a daemon killed mid-backup leaves a
/// partial set that the next backup of the same stanza resumes or removes (pgBackRest's own cleanup), and the
/// scheduler simply runs again. Clusters run one after another: backups are I/O-heavy and the host is small.
/// </summary>
internal sealed partial class PostgresBackupScheduler(
    RecordStore store,
    PostgresBackupService backups,
    StorageService storage,
    TimeProvider time,
    ILogger<PostgresBackupScheduler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var recovered = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!recovered)
                {
                    await backups.RecoverAfterRestartAsync(stoppingToken);
                    recovered = true;
                }

                await PassAsync(stoppingToken);
            }
            // An HTTP timeout (Patroni slow under load) is a TaskCanceledException too: only the daemon's own stop ends
            // the loop; anything else is logged and the pass is tried again, or the daemon would stop with it.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.PassFailed(logger, ex.Message);
            }

            using var timer = new CancellationTokenSource(Interval, time);
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token);
            try
            {
                await backups.Signal.WaitAsync(tick.Token);
                backups.Signal.Drain();
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
        }
    }

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        var clusters = (await store.ListAsync<PostgresRecord>(PostgresKeys.Prefix, cancellationToken)).Select(c => c.Value).ToList();
        foreach (var cluster in clusters)
        {
            await backups.ReconcileAsync(cluster, cancellationToken);
        }

        var names = clusters.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var state in await store.ListAsync<PostgresBackupState>(BackupKeys.StatePrefix, cancellationToken))
        {
            if (!names.Contains(state.Value.Cluster))
            {
                await backups.ForgetAsync(state.Value, storage.DestroySystemBucketAsync, cancellationToken);
            }
        }

        await backups.ExpireDeletedAsync(storage.DestroySystemBucketAsync, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(6230, LogLevel.Warning, "backup scheduler pass failed, next in 10 s: {Reason}")]
        public static partial void PassFailed(ILogger logger, string reason);
    }
}
