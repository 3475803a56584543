namespace Hangar.Postgres.Rest;

/// <summary>One member as GET /cluster reports it.</summary>
/// <param name="Role">leader, replica, sync_standby or standby_leader (see <see cref="PatroniRoles"/>).</param>
/// <param name="State">running, streaming, stopped, starting, crashed, creating replica, ...</param>
/// <param name="LagBytes">Replication lag in bytes behind the leader; null for the leader or when Patroni reports "unknown".</param>
public sealed record PatroniMember(
    string Name,
    string Role,
    string State,
    string? Host,
    int? Port,
    int? Timeline,
    long? LagBytes,
    bool PendingRestart,
    Uri? ApiUrl)
{
    public bool IsLeader => Role is PatroniRoles.Leader or PatroniRoles.StandbyLeader;

    public bool IsRunning => State is "running" or "streaming";
}
