using Hangar.Proxy.Configuration;

namespace Hangar.Proxy.Leadership;

internal sealed record NodeObservation(ProxyNodeConfig Node, ProbeOutcome Outcome);
