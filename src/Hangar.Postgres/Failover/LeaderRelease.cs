namespace Hangar.Postgres.Failover;

public enum LeaderRelease
{
    /// <summary>The leader key named this node and was deleted: the sync standby takes over on its next loop.</summary>
    Released,

    /// <summary>The key is absent or names another node; nothing to do.</summary>
    NotLeader,

    /// <summary>Patroni still answers on its REST port; it will keep or drop the key itself.</summary>
    PatroniAlive,

    /// <summary>A postmaster still runs on the data directory and may accept writes: releasing would allow two primaries.</summary>
    PostgresAlive,

    /// <summary>The key changed between read and delete (renewed or taken over); re-evaluate.</summary>
    Raced,
}
