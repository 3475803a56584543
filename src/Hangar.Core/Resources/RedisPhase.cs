namespace Hangar.Core.Resources;

public enum RedisPhase
{
    /// <summary>Recorded; the reconciler is allocating its port and volume and starting redis-server.</summary>
    Pending,

    /// <summary>redis-server runs under the supervisor; the reconciler keeps it running and applies updates.</summary>
    Running,

    /// <summary>The reconciler could not make it and removed what it had made; Error says why.</summary>
    Failed,

    /// <summary>Being removed: process, files, volume, port and attachments, then the record.</summary>
    Destroying,
}
