namespace Hangar.Client.Models;

/// <summary>A restore drill: the latest point restored into a scratch cluster, checked, timed and destroyed.</summary>
public sealed record PostgresBackupDrill(string Cluster, DateTimeOffset At, bool Passed, double RestoreSeconds, string? BackupId, string Detail);
