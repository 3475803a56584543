namespace Hangar.Client.Models;

/// <summary>
/// `postgres config update`. Each value is a PostgreSQL parameter as postgresql.conf would take it (sizes such as
/// 8MB, enum names); the daemon checks every one against PostgreSQL's rules and writes nothing when one is wrong.
/// </summary>
public sealed record PostgresConfigUpdateRequest
{
    public int? MaxConnections { get; init; }

    public string? SharedBuffers { get; init; }

    public string? WorkMem { get; init; }

    public int? LogMinDurationStatement { get; init; }

    public string? LogStatement { get; init; }

    /// <summary>Restart the nodes (rolling) when a changed parameter needs it.</summary>
    public bool Force { get; init; }
}
