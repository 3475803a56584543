using Hangar.ObjectStore.Storage;

namespace Hangar.ObjectStore.Lifecycle;

internal static class LifecycleTags
{
    private static readonly IReadOnlyDictionary<string, string> s_none = new Dictionary<string, string>();

    /// <summary>
    /// The tag source the server uses. Until object tagging is stored, no object has tags, so a rule with a Tag
    /// filter covers nothing (never more than it should).
    /// </summary>
    public static readonly TagsOf Stored = _ => s_none;
}
