using Hangar.Proxy.Configuration;

namespace Hangar.Proxy.Leadership;

/// <summary>Live probe state of one node; mutated only under the tracker's lock.</summary>
internal sealed class NodeWatch(ProxyNodeConfig node, CancellationTokenSource stop)
{
    public ProxyNodeConfig Node { get; } = node;

    public Uri PrimaryUri { get; } = PatroniProbe.PrimaryUri(node.PatroniUrl);

    public CancellationTokenSource Stop { get; } = stop;

    public Task Loop { get; set; } = Task.CompletedTask;

    public ProbeOutcome Outcome { get; set; } = ProbeOutcome.Unknown;

    /// <summary>When the node started failing probes in a row; null while it answers.</summary>
    public DateTimeOffset? UnreachableSince { get; set; }
}
