namespace Hangar.ObjectStore.Lifecycle;

/// <summary>
/// Where a bucket's pass stopped when it ran out of time, kept in memory only: after a restart a pass starts
/// over, which is safe because every deletion re-checks its row. <see cref="LastKey"/> and
/// <see cref="LastModifiedMs"/> are the last row read, the successor of the next page's first row when they share a key.
/// </summary>
internal sealed record LifecycleCursor(byte[] Key, long Seq, string? LastKey, long LastModifiedMs, bool VersionsDone, string? UploadKey, string? UploadId);
