namespace Hangar.Core.Resources;

/// <summary>
/// The backup repository of a destroyed cluster, kept at /hangar/postgres-deleted-backups/NAME/GENERATION until
/// <see cref="KeepUntil"/> (the cluster's retention after `postgres destroy`; at once with --purge-backups), so the
/// cluster can still be restored into a new one. Holds what a restore needs of the gone cluster record.
/// </summary>
public sealed record PostgresDeletedBackups
{
    public required string Cluster { get; init; }

    /// <summary>The <see cref="PostgresBackupSettings.Generation"/> whose repository this is.</summary>
    public int Generation { get; init; }

    public DateTimeOffset DeletedAt { get; init; }

    public DateTimeOffset KeepUntil { get; init; }

    /// <summary>The destroyed cluster's record, its nodes emptied: the shape a restore copies, the settings that name its repository.</summary>
    public required PostgresRecord Source { get; init; }

    public IReadOnlyList<PostgresRestorePoint> RestorePoints { get; init; } = [];
}
