namespace Hangar.Client.Models;

/// <summary>One Litestream generation in the replica: a continuous run of WAL from one snapshot on.</summary>
public sealed record SqliteGenerationInfo(string Id, DateTimeOffset? Start, DateTimeOffset? End, int Snapshots, int WalSegments, long Bytes);
