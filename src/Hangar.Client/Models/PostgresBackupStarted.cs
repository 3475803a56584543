namespace Hangar.Client.Models;

/// <summary>`postgres backup create`: the new backup, or with --detach only that it started.</summary>
public sealed record PostgresBackupStarted(string Cluster, string Type, bool Detached, PostgresBackupInfo? Backup);
