namespace Hangar.Client.Models;

/// <summary>`postgres backup create`: full, diff or incr (default incr, which pgBackRest makes full when there is none); detach returns at once.</summary>
public sealed record PostgresBackupCreateRequest(string? Type, bool Detach);
