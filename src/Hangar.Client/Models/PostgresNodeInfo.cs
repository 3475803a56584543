namespace Hangar.Client.Models;

/// <summary>One node in `postgres status`: Patroni's view (role, state, lag) and the supervisor's (process).</summary>
public sealed record PostgresNodeInfo(
    string Name,
    string Role,
    string State,
    long? LagBytes,
    int? Timeline,
    bool PendingRestart,
    string VolumeId,
    int PgPort,
    int RestPort,
    string ProcessState,
    int? Pid,
    bool Adopted,
    int Restarts);
