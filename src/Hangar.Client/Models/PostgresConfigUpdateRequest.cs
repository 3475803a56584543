namespace Hangar.Client.Models;

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
