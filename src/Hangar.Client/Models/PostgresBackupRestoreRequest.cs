namespace Hangar.Client.Models;

/// <summary>`postgres backup restore`: into a new cluster; a backup id, or one target, or neither (the latest point).</summary>
public sealed record PostgresBackupRestoreRequest
{
    public required string NewName { get; init; }

    public string? BackupId { get; init; }

    public string? RestoreTargetTime { get; init; }

    public string? RestoreTargetName { get; init; }

    public string? RestoreTargetLsn { get; init; }

    public bool? RestoreTargetInclusive { get; init; }

    /// <summary>"local" (default) or "offsite": the repository restored from, alone.</summary>
    public string? Repository { get; init; }

    /// <summary>Restore from the kept repository of a destroyed cluster of that name (the newest), even when a new one has the name.</summary>
    public bool Deleted { get; init; }
}
