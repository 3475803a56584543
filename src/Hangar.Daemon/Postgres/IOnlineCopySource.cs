using Hangar.Core.Resources;
using Hangar.Volumes;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// A kind of resource that keeps writing to its volume while it runs and can make a consistent copy of that live
/// part for a snapshot (a tar walked over a running database is not a point in time), and that keeps credentials on
/// the volume that a snapshot must not carry.
/// </summary>
internal interface IOnlineCopySource
{
    /// <summary>
    /// Copies the live part of <paramref name="volume"/> under <paramref name="scratch"/> and says what it replaces;
    /// null when this kind does not own the volume or nothing is running on it (its files are then at rest).
    /// </summary>
    Task<SnapshotOverlay?> CopyAsync(VolumeRecord volume, string scratch, CancellationToken cancellationToken);

    /// <summary>
    /// Files of this kind on <paramref name="volume"/> that hold credentials, relative to the volume: left out of its
    /// snapshots, running or not (a restore gets fresh ones). Empty when this kind does not own the volume.
    /// </summary>
    IReadOnlyCollection<string> CredentialFiles(VolumeRecord volume);
}
