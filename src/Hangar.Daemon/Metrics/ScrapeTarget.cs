namespace Hangar.Daemon.Metrics;

/// <summary>One target group of Prometheus HTTP service discovery: an address and the labels of its series.</summary>
internal sealed record ScrapeTarget(string Address, IReadOnlyDictionary<string, string> Labels);
