namespace Hangar.Client.Models;

/// <summary>A cluster as `postgres list` shows it; never carries a secret.</summary>
public sealed record PostgresClusterInfo(
    string Name,
    string Region,
    string State,
    string Preset,
    string Host,
    int? ProxyPort,
    int NodeCount,
    bool Synchronous,
    int VolumeSizeGb,
    IReadOnlyList<string> Apps,
    DateTimeOffset CreatedAt,
    string? Error);
