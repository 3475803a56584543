namespace Hangar.Client.Models;

/// <summary>`mpg config update`: the Postgres settings of `postgres config update` plus the pool's size and mode.</summary>
public sealed record MpgConfigUpdateRequest
{
    public int? MaxConnections { get; init; }

    public string? SharedBuffers { get; init; }

    public string? WorkMem { get; init; }

    public int? LogMinDurationStatement { get; init; }

    public string? LogStatement { get; init; }

    /// <summary>Server connections per database and user.</summary>
    public int? PoolSize { get; init; }

    /// <summary>transaction, session or statement.</summary>
    public string? PoolMode { get; init; }

    public bool Force { get; init; }
}
