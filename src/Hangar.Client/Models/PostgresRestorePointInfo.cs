namespace Hangar.Client.Models;

/// <summary>A named restore point (`postgres backup mark`).</summary>
public sealed record PostgresRestorePointInfo(string Name, string Lsn, DateTimeOffset CreatedAt);
