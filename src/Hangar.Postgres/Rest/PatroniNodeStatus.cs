namespace Hangar.Postgres.Rest;

/// <summary>GET /patroni: this node's own view.</summary>
/// <param name="Role">Normalised to leader or replica.</param>
/// <param name="ServerVersion">PostgreSQL's server_version_num, e.g. 150005.</param>
public sealed record PatroniNodeStatus(
    string State,
    string Role,
    int? ServerVersion,
    int? Timeline,
    bool PendingRestart,
    string? PatroniVersion,
    string? Scope,
    string? SystemIdentifier,
    IReadOnlyList<PatroniReplication> Replication);
