namespace Hangar.Core.Resources;

/// <summary>A named restore point (`postgres backup mark`): pg_create_restore_point's name and where it sits.</summary>
public sealed record PostgresRestorePoint(string Name, string Lsn, DateTimeOffset CreatedAt);
