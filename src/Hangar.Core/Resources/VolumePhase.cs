namespace Hangar.Core.Resources;

public enum VolumePhase
{
    /// <summary>Recorded; the directory is being made (empty, from a snapshot, or as a fork).</summary>
    Pending,
    Created,

    /// <summary>Its content could not be made (bad snapshot, missing source); Error says why.</summary>
    Failed,
    Destroying,
}
