using Hangar.ObjectStore.Tagging;

namespace Hangar.ObjectStore.Lifecycle;

internal static class LifecycleTags
{
    /// <summary>The tag source the server uses: the tags kept in each version's stored headers (Tagging/TagSet.cs).</summary>
    public static readonly TagsOf Stored = version =>
        TagSet.Read(version.Headers).Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
}
