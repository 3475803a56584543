using Hangar.ObjectStore.Tagging;

namespace Hangar.ObjectStore.Storage;

internal sealed partial class BucketIndex
{
    /// <summary>
    /// The tags of a key's current version (or of <paramref name="versionId"/>); null when there is no such
    /// object or it is a delete marker. For callers holding a row already, <see cref="TagSet.Read"/> does the same.
    /// </summary>
    public TagSet? ObjectTags(string key, string? versionId = null)
    {
        var version = versionId is null ? GetLatest(key) : GetVersion(key, versionId);
        return version is null || version.DeleteMarker ? null : TagSet.Read(version.Headers);
    }
}
