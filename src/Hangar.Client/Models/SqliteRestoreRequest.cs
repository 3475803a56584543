namespace Hangar.Client.Models;

/// <summary>`sqlite restore`: an absolute output path that must not exist, and an optional RFC 3339 time to restore to.</summary>
public sealed record SqliteRestoreRequest(string Output, string? Timestamp);
