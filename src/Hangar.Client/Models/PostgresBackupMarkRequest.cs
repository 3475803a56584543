namespace Hangar.Client.Models;

/// <summary>`postgres backup mark NAME`.</summary>
public sealed record PostgresBackupMarkRequest(string Name);
