namespace Hangar.Core.Resources;

/// <summary>
/// One node of a cluster as the reconciler allocated it: its Patroni member name ("CLUSTER-ORDINAL"), the direct
/// PostgreSQL port (Fly's 5433), Patroni's REST port and the volume holding the node directory.
/// </summary>
public sealed record PostgresNodeRecord(string Name, int Ordinal, int PgPort, int RestPort, string VolumeId);
