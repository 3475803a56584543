namespace Hangar.Client.Models;

/// <summary>An access key as `storage keys list` prints it; never the secret.</summary>
public sealed record StorageKeyInfo(string Id, IReadOnlyList<string> Buckets, bool ReadOnly, string? CreatedWith, string State, DateTimeOffset CreatedAt);
