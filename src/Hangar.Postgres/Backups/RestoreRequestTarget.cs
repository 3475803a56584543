namespace Hangar.Postgres.Backups;

/// <summary>The restore flags as given: at most one of a backup id and the three targets.</summary>
public sealed record RestoreRequestTarget(string? BackupId, string? Time, string? Name, string? Lsn, bool? Inclusive);
