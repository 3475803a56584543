using Hangar.Proxy.Configuration;

namespace Hangar.Proxy.Leadership;

/// <summary>The node new connections go to (null: none known, they wait), since when, and a counter bumped on each change.</summary>
internal sealed record LeaderSnapshot(ProxyNodeConfig? Leader, DateTimeOffset Since, long Epoch);
