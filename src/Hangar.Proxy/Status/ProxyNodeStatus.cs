namespace Hangar.Proxy.Status;

/// <param name="Role">Last probe of <c>GET /primary</c>: "leader", "not_leader", "unreachable" or "unknown" (not probed yet).</param>
public sealed record ProxyNodeStatus(string Name, string Host, int Port, string Role, int ActiveConnections);
