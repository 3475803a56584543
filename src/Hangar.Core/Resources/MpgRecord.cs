namespace Hangar.Core.Resources;

/// <summary>
/// A managed Postgres cluster: the Hangar Postgres cluster of the same name (/hangar/postgres/NAME, which holds the
/// nodes, credentials and backups) plus a PgBouncer in front of its cluster port. This record holds only what the
/// pool adds: the plan, the pool's port and settings, and the PgBouncer admin password (encrypted, associated data
/// "mpg:NAME"). Key: /hangar/mpg/NAME.
/// </summary>
public sealed record MpgRecord
{
    public required string Name { get; init; }

    public required string Plan { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Server connections per database and user (PgBouncer's default_pool_size).</summary>
    public required int PoolSize { get; init; }

    /// <summary>transaction (the default), session or statement.</summary>
    public required string PoolMode { get; init; }

    /// <summary>Client connections the pool accepts in all (max_client_conn).</summary>
    public required int MaxClientConnections { get; init; }

    /// <summary>The cluster's max_connections as the pool knows it (the plan's, then `mpg config update`'s): it caps max_db_connections.</summary>
    public required int MaxConnections { get; init; }

    public required string AdminPasswordCiphertext { get; init; }

    public int? PoolPort { get; init; }

    public MpgPhase Phase { get; init; } = MpgPhase.Pending;

    public string? Error { get; init; }

    public DateTimeOffset? FailedAt { get; init; }

    /// <summary>Bumped by each pool settings change; the reconciler records <see cref="AppliedGeneration"/> once PgBouncer reloaded it.</summary>
    public long Generation { get; init; } = 1;

    public long AppliedGeneration { get; init; }

    public string? Step { get; init; }

    public DateTimeOffset? StepSince { get; init; }
}
