namespace Hangar.Client.Models;

/// <summary>The answer to `redis create`: the only time the connection URL is printed.</summary>
public sealed record RedisCreated(RedisInstanceInfo Instance, string Url);
