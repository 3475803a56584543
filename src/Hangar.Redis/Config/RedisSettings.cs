using Hangar.Core.Resources;

namespace Hangar.Redis.Config;

/// <summary>Everything redis.conf says about one instance; rendered by <see cref="RedisConfigFile"/>.</summary>
public sealed record RedisSettings
{
    public required string ConfigPath { get; init; }

    public required string BindAddress { get; init; }

    public required int Port { get; init; }

    public required string DataDirectory { get; init; }

    public required string AclFile { get; init; }

    public required int MaxMemoryMb { get; init; }

    public required bool Eviction { get; init; }

    public required RedisPersistence Persistence { get; init; }
}
