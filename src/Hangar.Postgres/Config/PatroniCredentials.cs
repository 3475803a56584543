using Hangar.Core.Ids;

namespace Hangar.Postgres.Config;

/// <summary>
/// The cluster's internal roles, the same on every node. The daemon stores them (encrypted) with the cluster
/// record and passes the same instance to every node's config; they are written only to files owned by the
/// postgres user with mode 0600.
/// </summary>
public sealed record PatroniCredentials
{
    public const string SuperuserName = "postgres";
    public const string DefaultReplicationUser = "replicator";
    public const string DefaultAdminUser = "hangar_admin";
    public const string DefaultRestApiUser = "hangar";

    public required string SuperuserPassword { get; init; }

    public string ReplicationUser { get; init; } = DefaultReplicationUser;

    public required string ReplicationPassword { get; init; }

    /// <summary>The role the daemon uses for attach, db/users list and checks (as Fly's flypgadmin).</summary>
    public string AdminUser { get; init; } = DefaultAdminUser;

    public required string AdminPassword { get; init; }

    /// <summary>Basic auth for Patroni's unsafe REST endpoints (switchover, restart, config); reads stay open.</summary>
    public string RestApiUser { get; init; } = DefaultRestApiUser;

    public required string RestApiPassword { get; init; }

    public static PatroniCredentials Generate() => new()
    {
        SuperuserPassword = Passwords.New(),
        ReplicationPassword = Passwords.New(),
        AdminPassword = Passwords.New(),
        RestApiPassword = Passwords.New(),
    };

    // Records print their properties; these are secrets.
    public override string ToString() => $"PatroniCredentials {{ ReplicationUser = {ReplicationUser}, AdminUser = {AdminUser} }}";
}
