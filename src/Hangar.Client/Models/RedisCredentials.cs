namespace Hangar.Client.Models;

/// <summary>How to connect as the instance's app user (for `redis connect`; needs the admin token).</summary>
public sealed record RedisCredentials(string Host, int Port, string User, string Password, string Url);
