using Hangar.Client.Models;

namespace Hangar.Client;

public sealed partial class HangarClient
{
    /// <summary>The daemon's Prometheus service discovery: every exporter and server to scrape, with labels.</summary>
    public Task<IReadOnlyList<ScrapeTargetGroup>> MetricsTargetsAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<ScrapeTargetGroup>>("v1/metrics/targets", cancellationToken);
}
