using System.Diagnostics.Metrics;

namespace Hangar.Daemon.Metrics;

/// <summary>
/// The "Hangar.Daemon" meter: reconcile passes and step errors (counted where they happen), and gauges of what the
/// daemon looks after, observed at scrape time from <see cref="PlatformSnapshot"/> (volumes, backups, supervised
/// processes) so a scrape never waits on etcd. Labels are kinds and cluster names, never objects or keys.
/// </summary>
internal static class DaemonMetrics
{
    public const string MeterName = "Hangar.Daemon";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> ReconcilePasses =
        Meter.CreateCounter<long>("hangar.reconcile.passes", "{pass}", "Reconcile passes run, by reconciler.");

    private static readonly Counter<long> ReconcileErrors =
        Meter.CreateCounter<long>("hangar.reconcile.errors", "{error}", "Reconcile passes and steps that failed, by reconciler.");

    private static readonly Counter<long> AutoExtends =
        Meter.CreateCounter<long>("hangar.volume.auto_extends", "{extend}", "Volumes grown by their auto-extend rule.");

    private static PlatformSnapshot _snapshot = PlatformSnapshot.Empty;

    static DaemonMetrics()
    {
        Meter.CreateObservableGauge("hangar.volumes", () => _snapshot.Volumes, "{volume}", "Volumes on this platform.");
        Meter.CreateObservableGauge("hangar.volume.size", () => _snapshot.VolumeSizeBytes, "By", "Declared size of all volumes.");
        Meter.CreateObservableGauge("hangar.volume.used", () => _snapshot.VolumeUsedBytes, "By", "Bytes used on all volumes (as last measured).");
        Meter.CreateObservableCounter("hangar.process.restarts", ObserveRestarts, "{restart}", "Restarts of supervised processes by this daemon, by process kind.");
        Meter.CreateObservableGauge("hangar.process.running", ObserveRunning, "{process}", "Supervised processes running, by process kind.");
        Meter.CreateObservableGauge("hangar.postgres.backup.last_success", () => Backups(b => b.LastSuccessUnixSeconds), "s", "Unix time of the cluster's last successful backup.");
        Meter.CreateObservableGauge("hangar.postgres.backup.archive_lag", () => Backups(b => b.ArchiveLagSeconds), "s", "Seconds WAL archiving has been failing (0 when it works).");
        Meter.CreateObservableGauge("hangar.postgres.backup.drill.success", () => Backups(b => b.DrillPassed), "1", "1 when the cluster's last restore drill passed, 0 when it failed.");
        Meter.CreateObservableGauge("hangar.postgres.backup.drill.duration", () => Backups(b => b.DrillSeconds), "s", "Restore time of the cluster's last drill.");
        Meter.CreateObservableGauge("hangar.postgres.backup.drill.last_run", () => Backups(b => b.DrillUnixSeconds), "s", "Unix time of the cluster's last restore drill.");
    }

    public static void Publish(PlatformSnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);

    public static void Pass(string reconciler) => ReconcilePasses.Add(1, new KeyValuePair<string, object?>("reconciler", reconciler));

    public static void Error(string reconciler) => ReconcileErrors.Add(1, new KeyValuePair<string, object?>("reconciler", reconciler));

    public static void AutoExtended() => AutoExtends.Add(1);

    /// <summary>A process's kind from its supervised name: "pg-db-1" is pg, "redis-cache" redis, "s3" s3.</summary>
    public static string ProcessKind(string name) => name.IndexOf('-', StringComparison.Ordinal) is > 0 and var dash ? name[..dash] : name;

    private static IEnumerable<Measurement<long>> ObserveRestarts() =>
        _snapshot.Processes.GroupBy(p => ProcessKind(p.Name))
            .Select(g => new Measurement<long>(g.Sum(p => (long)p.Restarts), new KeyValuePair<string, object?>("kind", g.Key)));

    private static IEnumerable<Measurement<long>> ObserveRunning() =>
        _snapshot.Processes.GroupBy(p => ProcessKind(p.Name))
            .Select(g => new Measurement<long>(g.Count(p => p.Running), new KeyValuePair<string, object?>("kind", g.Key)));

    private static IEnumerable<Measurement<double>> Backups(Func<BackupFigures, double?> pick)
    {
        foreach (var backup in _snapshot.Backups)
        {
            if (pick(backup) is { } value)
            {
                yield return new Measurement<double>(value, new KeyValuePair<string, object?>("cluster", backup.Cluster));
            }
        }
    }
}
