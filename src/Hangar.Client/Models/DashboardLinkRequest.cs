namespace Hangar.Client.Models;

/// <summary>Which page `hangar dashboard` wants a link to: none for the overview, else a kind (postgres, redis, storage) and its name.</summary>
public sealed record DashboardLinkRequest(string? Kind = null, string? Name = null);
