namespace Hangar.Postgres.Backups;

/// <summary>One node of the cluster as pgBackRest reaches it on this host: its data directory and socket.</summary>
public sealed record PgBackRestNode(string DataDirectory, int Port, string SocketDirectory);
