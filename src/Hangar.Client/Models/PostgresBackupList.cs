namespace Hangar.Client.Models;

/// <summary>
/// `postgres backup list`: the backups, the restorable window (earliest and latest time and LSN; null before the
/// first backup), the archive's health and the scheduler's state.
/// </summary>
public sealed record PostgresBackupList
{
    public required string Cluster { get; init; }

    public required bool Enabled { get; init; }

    /// <summary>Set for a destroyed cluster's kept repository (`backup list --deleted`): when it was destroyed.</summary>
    public DateTimeOffset? DeletedAt { get; init; }

    /// <summary>Until when a destroyed cluster's repository is kept (its backup retention after the destroy).</summary>
    public DateTimeOffset? KeptUntil { get; init; }

    public required int RetentionDays { get; init; }

    public required IReadOnlyList<PostgresBackupInfo> Backups { get; init; }

    /// <summary>Where the off-site copy goes (https://HOST:PORT/BUCKET/PREFIX), null without `hangar up --backup-s3`.</summary>
    public string? Offsite { get; init; }

    public DateTimeOffset? EarliestRestorableTime { get; init; }

    public DateTimeOffset? LatestRestorableTime { get; init; }

    public string? EarliestRestorableLsn { get; init; }

    public string? LatestRestorableLsn { get; init; }

    public string? ArchiveMin { get; init; }

    public string? ArchiveMax { get; init; }

    /// <summary>Set while WAL cannot be pushed to the repository: since when, and why.</summary>
    public DateTimeOffset? ArchiveFailingSince { get; init; }

    public string? ArchiveFailure { get; init; }

    public DateTimeOffset? LastFullAt { get; init; }

    public DateTimeOffset? NextFullAt { get; init; }

    public DateTimeOffset? NextDiffAt { get; init; }

    public string? Running { get; init; }

    public string? LastError { get; init; }

    public IReadOnlyList<PostgresRestorePointInfo> RestorePoints { get; init; } = [];

    public PostgresBackupDrill? LastDrill { get; init; }

    public DateTimeOffset? NextDrillAt { get; init; }
}
