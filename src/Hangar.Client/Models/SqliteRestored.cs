namespace Hangar.Client.Models;

public sealed record SqliteRestored(string Name, string Output, DateTimeOffset? Timestamp, double Seconds, long Bytes);
