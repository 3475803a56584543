using Hangar.Proxy.Configuration;

namespace Hangar.Proxy.Leadership;

/// <param name="ClosePrevious">
/// True when the previous leader is known not to lead any more (it answered 503 or left the config);
/// false when it merely stopped answering, so its connections may still be alive and are kept.
/// </param>
internal sealed record LeaderChange(ProxyNodeConfig? Previous, ProxyNodeConfig? Current, bool ClosePrevious, string Reason);
