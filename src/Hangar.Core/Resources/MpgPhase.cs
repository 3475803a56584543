namespace Hangar.Core.Resources;

public enum MpgPhase
{
    /// <summary>Recorded; its Postgres cluster is being made, then the pool's port is taken and PgBouncer started.</summary>
    Pending,

    /// <summary>PgBouncer runs under the supervisor in front of the cluster port.</summary>
    Running,

    /// <summary>The pool or its cluster could not be made; what was made is removed; Error says why.</summary>
    Failed,

    /// <summary>Being removed: PgBouncer, its files and port, then the Postgres cluster, then the record.</summary>
    Destroying,
}
