namespace Hangar.Client.Models;

/// <summary>`postgres backup enable`: retention in days (default 7).</summary>
public sealed record PostgresBackupEnableRequest(int? RetentionDays);
