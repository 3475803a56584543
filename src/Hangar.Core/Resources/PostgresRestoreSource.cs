namespace Hangar.Core.Resources;

/// <summary>
/// `postgres backup restore`: the first node of a new cluster starts from a pgBackRest restore of
/// <see cref="Cluster"/>'s repository, recovered to the target (none: the end of the chosen backup).
/// </summary>
public sealed record PostgresRestoreSource
{
    public required string Cluster { get; init; }

    /// <summary>pgBackRest's backup label (--set).</summary>
    public required string BackupSet { get; init; }

    /// <summary>"time", "name", "lsn", or "immediate" (the backup's own end).</summary>
    public required string TargetType { get; init; }

    public string? Target { get; init; }

    public bool Inclusive { get; init; } = true;

    /// <summary>
    /// The newest WAL segment in the repository when the restore was asked: a restore to the end of the archive must
    /// replay at least up to it, or recovery stopped at a gap (null: not checked).
    /// </summary>
    public string? LastArchivedSegment { get; init; }

    /// <summary>pgBackRest's --repo: 1 the local repository, 2 the off-site one.</summary>
    public int Repo { get; init; } = 1;

    /// <summary>The source's <see cref="PostgresBackupSettings.Generation"/>: which repository of that name.</summary>
    public int Generation { get; init; }

    /// <summary>The source is a destroyed cluster whose repository is kept (<see cref="PostgresDeletedBackups"/>).</summary>
    public bool Deleted { get; init; }
}
