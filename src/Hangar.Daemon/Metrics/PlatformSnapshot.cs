namespace Hangar.Daemon.Metrics;

/// <summary>What the daemon's gauges report, refreshed by <see cref="MetricsRefresher"/> every few seconds.</summary>
internal sealed record PlatformSnapshot(
    int Volumes,
    long VolumeSizeBytes,
    long VolumeUsedBytes,
    IReadOnlyList<ProcessFigures> Processes,
    IReadOnlyList<BackupFigures> Backups)
{
    public static readonly PlatformSnapshot Empty = new(0, 0, 0, [], []);
}
