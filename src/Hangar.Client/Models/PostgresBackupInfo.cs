namespace Hangar.Client.Models;

/// <summary>One backup set: sizes in bytes (original, and stored in the repository), the WAL it spans, the repository holding it.</summary>
public sealed record PostgresBackupInfo(
    string Id,
    string Type,
    DateTimeOffset Start,
    DateTimeOffset Stop,
    double DurationSeconds,
    long Size,
    long StoredSize,
    string? WalStart,
    string? WalStop,
    string StartLsn,
    string StopLsn,
    string Repository = PostgresBackupInfo.LocalRepository)
{
    public const string LocalRepository = "local";

    /// <summary>The repository on the external endpoint of `hangar up --backup-s3` (pgBackRest's repo2).</summary>
    public const string OffsiteRepository = "offsite";
}
