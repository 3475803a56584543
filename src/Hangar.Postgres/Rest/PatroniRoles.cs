namespace Hangar.Postgres.Rest;

public static class PatroniRoles
{
    public const string Leader = "leader";
    public const string Replica = "replica";
    public const string SyncStandby = "sync_standby";
    public const string StandbyLeader = "standby_leader";

    /// <summary>GET /patroni still says "master" in 3.0.x where /cluster says "leader"; report one word.</summary>
    internal static string Normalize(string role) => role switch
    {
        "master" or "primary" => Leader,
        _ => role,
    };
}
