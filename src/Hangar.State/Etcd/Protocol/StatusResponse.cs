namespace Hangar.State.Etcd.Protocol;

internal sealed record StatusResponse
{
    public string? Version { get; init; }

    /// <summary>The leader's member id; 0 (absent) while the cluster has no leader.</summary>
    public ulong Leader { get; init; }
}
