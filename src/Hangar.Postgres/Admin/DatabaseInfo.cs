namespace Hangar.Postgres.Admin;

/// <param name="Users">Login roles allowed to connect (superusers included), as `postgres db list` shows.</param>
public sealed record DatabaseInfo(string Name, string Owner, long SizeBytes, IReadOnlyList<string> Users);
