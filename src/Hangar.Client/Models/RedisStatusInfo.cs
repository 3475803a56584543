namespace Hangar.Client.Models;

/// <summary>`redis status`: the record's state plus what the server itself reports (INFO); live fields are null when it does not answer.</summary>
public sealed record RedisStatusInfo
{
    public required RedisInstanceInfo Instance { get; init; }

    public required string ProcessState { get; init; }

    public int? Pid { get; init; }

    public int Restarts { get; init; }

    public bool Adopted { get; init; }

    public string? Version { get; init; }

    public long? UptimeSeconds { get; init; }

    public long? UsedMemoryBytes { get; init; }

    public long? MaxMemoryBytes { get; init; }

    public long? Keys { get; init; }

    public long? EvictedKeys { get; init; }

    public long? ConnectedClients { get; init; }

    public long? OpsPerSecond { get; init; }

    public bool? AofEnabled { get; init; }

    public string? AofLastWriteStatus { get; init; }

    public string? RdbLastSaveStatus { get; init; }

    public DateTimeOffset? LastSaveAt { get; init; }

    public long? ChangesSinceLastSave { get; init; }

    /// <summary>Why the live fields are missing (the server is starting, restarting or unreachable).</summary>
    public string? Unreachable { get; init; }
}
