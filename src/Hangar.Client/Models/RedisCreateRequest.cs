namespace Hangar.Client.Models;

public sealed record RedisCreateRequest
{
    public required string Name { get; init; }

    public string? Region { get; init; }

    public int? MaxMemoryMb { get; init; }

    /// <summary>True: allkeys-lru; false: noeviction (writes fail when full); null: the default, noeviction.</summary>
    public bool? Eviction { get; init; }

    /// <summary>"aof" (default), "rdb" or "none".</summary>
    public string? Persistence { get; init; }
}
