namespace Hangar.Client.Models;

/// <summary>One backup set: sizes in bytes (original, and stored in the repository), the WAL it spans.</summary>
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
    string StopLsn);
