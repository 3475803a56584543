namespace Hangar.Postgres.Rest;

/// <summary>A row of the leader's pg_stat_replication as GET /patroni reports it.</summary>
/// <param name="SyncState">async, sync, potential or quorum.</param>
public sealed record PatroniReplication(string? ApplicationName, string? ClientAddress, string? State, string? SyncState);
