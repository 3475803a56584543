namespace Hangar.Core.Resources;

/// <summary>
/// Desired backup settings of a cluster (<see cref="PostgresRecord.Backups"/>): pgBackRest into the cluster's system
/// bucket, WAL archived continuously. What the scheduler has done so far lives in <see cref="PostgresBackupState"/>.
/// </summary>
public sealed record PostgresBackupSettings
{
    public const int DefaultRetentionDays = 7;

    public bool Enabled { get; init; }

    /// <summary>Days of full backups (and the WAL they need) pgBackRest keeps; Fly's recovery window is 7.</summary>
    public int RetentionDays { get; init; } = DefaultRetentionDays;

    /// <summary>Bumped by each enable, so the scheduler takes a fresh full backup after a gap in the archive.</summary>
    public long Epoch { get; init; }

    /// <summary>
    /// Which repository of the name this cluster writes: 0 for the first cluster of a name, one more than the newest
    /// kept repository of a destroyed cluster of the same name otherwise (see <see cref="BackupKeys.Bucket"/>).
    /// </summary>
    public int Generation { get; init; }
}
