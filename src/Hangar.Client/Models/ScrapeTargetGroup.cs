namespace Hangar.Client.Models;

/// <summary>One group of Prometheus HTTP service discovery (http_sd_configs): addresses and their labels.</summary>
public sealed record ScrapeTargetGroup(IReadOnlyList<string> Targets, IReadOnlyDictionary<string, string> Labels);
