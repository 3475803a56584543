namespace Hangar.Core.Resources;

/// <summary>
/// What the backup scheduler has done for one cluster, at /hangar/postgres-backup-state/NAME: kept apart from the
/// cluster record so that its frequent writes do not wake the cluster reconciler.
/// </summary>
public sealed record PostgresBackupState
{
    public required string Cluster { get; init; }

    /// <summary>The <see cref="PostgresBackupSettings.Epoch"/> whose stanza and archive settings are in place.</summary>
    public long ConfiguredEpoch { get; init; } = -1;

    /// <summary>The <see cref="PostgresBackupSettings.Generation"/> of the repository this state describes.</summary>
    public int Generation { get; init; }

    /// <summary>The off-site repository (endpoint, bucket, prefix) the stanza was created in; another one needs a stanza-create.</summary>
    public string? ConfiguredOffsite { get; init; }

    /// <summary>The epoch of the last full backup; a newer epoch needs a new full backup first.</summary>
    public long FullEpoch { get; init; } = -1;

    public DateTimeOffset? LastFullAt { get; init; }

    public DateTimeOffset? LastBackupAt { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>Set when the archiver was first seen failing; cleared when a segment is archived again.</summary>
    public DateTimeOffset? ArchiveFailingSince { get; init; }

    public string? ArchiveFailure { get; init; }

    public string? Running { get; init; }

    /// <summary>The type (full, diff, incr) of the backup <see cref="Running"/> describes.</summary>
    public string? RunningType { get; init; }

    /// <summary>A backup a killed daemon did not finish: the next scheduler pass takes it again (pgBackRest resumes its partial set).</summary>
    public string? Interrupted { get; init; }

    public IReadOnlyList<PostgresRestorePoint> RestorePoints { get; init; } = [];

    public PostgresDrillResult? LastDrill { get; init; }
}
