namespace Hangar.Postgres.Rest;

/// <summary>GET /cluster: the DCS view of the whole cluster, the same from any member.</summary>
public sealed record PatroniCluster(string? Scope, IReadOnlyList<PatroniMember> Members, bool Paused)
{
    public PatroniMember? Leader => Members.FirstOrDefault(m => m.IsLeader);

    public IEnumerable<PatroniMember> Replicas => Members.Where(m => !m.IsLeader);

    public bool PendingRestart => Members.Any(m => m.PendingRestart);
}
