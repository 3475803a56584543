namespace Hangar.Proxy.Leadership;

internal enum ProbeOutcome
{
    /// <summary>Not probed yet since the node was added.</summary>
    Unknown,

    /// <summary>GET /primary answered 200: running as primary and holding the leader lock.</summary>
    Leader,

    /// <summary>Patroni answered, but not 200: a replica, a demoted or a starting node.</summary>
    NotLeader,

    /// <summary>No answer within the probe timeout (refused, reset, timed out).</summary>
    Unreachable,
}
