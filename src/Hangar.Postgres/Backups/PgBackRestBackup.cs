namespace Hangar.Postgres.Backups;

/// <summary>One backup set from `pgbackrest info --output=json`.</summary>
public sealed record PgBackRestBackup
{
    public required string Label { get; init; }

    /// <summary>full, diff or incr.</summary>
    public required string Type { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset Stop { get; init; }

    public required Lsn StartLsn { get; init; }

    /// <summary>The backup is consistent from here on: the earliest point it can be recovered to.</summary>
    public required Lsn StopLsn { get; init; }

    public string? WalStart { get; init; }

    public string? WalStop { get; init; }

    /// <summary>The database's size as backed up.</summary>
    public long Size { get; init; }

    /// <summary>Bytes stored in the repository for this set (compressed, only what changed for diff/incr).</summary>
    public long StoredSize { get; init; }

    public bool Error { get; init; }

    /// <summary>The repository holding the set: 1 the local one, 2 the off-site one.</summary>
    public int Repo { get; init; } = 1;
}
