namespace Hangar.Client.Models;

/// <summary>A Redis instance as `redis list` shows it: settings and state, never credentials.</summary>
public sealed record RedisInstanceInfo(
    string Name,
    string Region,
    string State,
    string Host,
    int? Port,
    int MaxMemoryMb,
    string EvictionPolicy,
    string Persistence,
    string User,
    string? VolumeId,
    IReadOnlyList<string> Apps,
    DateTimeOffset CreatedAt,
    string? Error);
