using Hangar.Client.Models;

namespace Hangar.Client;

public sealed partial class HangarClient
{
    public Task<DashboardLink> DashboardLinkAsync(DashboardLinkRequest request, CancellationToken cancellationToken) =>
        SendAsync<DashboardLink>(HttpMethod.Post, "v1/dashboard/links", request, cancellationToken);
}
