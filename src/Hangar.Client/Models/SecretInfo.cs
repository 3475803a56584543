namespace Hangar.Client.Models;

/// <summary>What `secrets list` shows: never the value.</summary>
public sealed record SecretInfo(string Name, string Digest, DateTimeOffset CreatedAt);
