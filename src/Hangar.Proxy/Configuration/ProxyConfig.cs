using System.Collections.Immutable;
using System.Net;

namespace Hangar.Proxy.Configuration;

/// <summary>Desired state of one cluster's proxy, validated; live state lives in the tracker and registry.</summary>
internal sealed record ProxyConfig
{
    public required string Cluster { get; init; }

    public required IPEndPoint Listen { get; init; }

    public required ImmutableArray<ProxyNodeConfig> Nodes { get; init; }

    public TimeSpan PollInterval { get; init; } = ProxyConfigReader.DefaultPollInterval;

    public TimeSpan ProbeTimeout { get; init; } = ProxyConfigReader.DefaultProbeTimeout;

    public TimeSpan ConnectTimeout { get; init; } = ProxyConfigReader.DefaultConnectTimeout;

    public TimeSpan LeaderWaitTimeout { get; init; } = ProxyConfigReader.DefaultLeaderWaitTimeout;

    public TimeSpan LeaderUnreachableGrace { get; init; } = ProxyConfigReader.DefaultLeaderUnreachableGrace;

    /// <summary>
    /// New connections go straight to the leader's own listening socket (BPF sk_lookup), not through this process;
    /// when that is not possible (not root, leader not on this host, no leader yet) the proxy forwards as before.
    /// </summary>
    public bool KernelSteering { get; init; }

    /// <summary>Written when a connection finds no leader (scale to zero; see <see cref="ProxyConfigDocument.WakeFile"/>); null: none.</summary>
    public string? WakeFile { get; init; }

    /// <summary>Null means next to the config file (see <see cref="ProxyConfigReader.DefaultStatusPath"/>).</summary>
    public string? StatusFile { get; init; }

    /// <summary>
    /// A file holding the bearer token of the proxy's /metrics listener (the daemon's metrics token); null for no
    /// listener. From the command line (`--metrics-token-file`), not proxy.json: a proxy of an older build would reject
    /// an unknown member of its config and stop following reloads. Read at start; the address goes into the status file.
    /// </summary>
    public string? MetricsTokenFile { get; init; }

    // ImmutableArray compares by reference; a reload with the same nodes must compare equal
    // so that the host does not treat it as a change.
    public bool Equals(ProxyConfig? other) =>
        other is not null
        && Cluster == other.Cluster
        && Listen.Equals(other.Listen)
        && Nodes.SequenceEqual(other.Nodes)
        && PollInterval == other.PollInterval
        && ProbeTimeout == other.ProbeTimeout
        && ConnectTimeout == other.ConnectTimeout
        && LeaderWaitTimeout == other.LeaderWaitTimeout
        && LeaderUnreachableGrace == other.LeaderUnreachableGrace
        && StatusFile == other.StatusFile
        && WakeFile == other.WakeFile
        && KernelSteering == other.KernelSteering
        && MetricsTokenFile == other.MetricsTokenFile;

    public override int GetHashCode() => HashCode.Combine(Cluster, Listen, Nodes.Length, PollInterval);
}
