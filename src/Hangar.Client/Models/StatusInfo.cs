namespace Hangar.Client.Models;

/// <summary>`hangar status`: the daemon, its store, counts of resources and the processes it supervises.</summary>
public sealed record StatusInfo(
    string Version,
    string Region,
    string DataDir,
    DateTimeOffset StartedAt,
    StoreInfo Store,
    IReadOnlyDictionary<string, int> Resources,
    IReadOnlyList<ProcessInfo> Processes,
    string? PrometheusUrl = null);
