namespace Hangar.Core.Resources;

public enum SqlitePhase
{
    /// <summary>Recorded; the reconciler writes the Litestream config and starts `litestream replicate`.</summary>
    Pending,

    /// <summary>`litestream replicate` runs under the supervisor; the reconciler keeps it running.</summary>
    Replicating,

    /// <summary>Asked to stop: the reconciler stops the process; the replica in the bucket stays.</summary>
    Stopping,

    /// <summary>Not replicating; the replica stays restorable. `replicate` of the same file resumes it.</summary>
    Stopped,
}
