namespace Hangar.Client.Models;

public sealed record RedisUpdateRequest
{
    public int? MaxMemoryMb { get; init; }

    public bool? Eviction { get; init; }
}
