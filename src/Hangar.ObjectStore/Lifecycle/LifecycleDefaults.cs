namespace Hangar.ObjectStore.Lifecycle;

internal static class LifecycleDefaults
{
    /// <summary>
    /// The rule every bucket made by `hangar storage create` starts with: an upload abandoned half-way otherwise keeps
    /// its parts' disk space for ever, unseen by listings. A normal rule: GetBucketLifecycleConfiguration shows it,
    /// and a PutBucketLifecycleConfiguration or DeleteBucketLifecycle replaces it.
    /// </summary>
    public static readonly IReadOnlyList<LifecycleRule> ForNewBucket =
    [
        new("hangar-abort-incomplete-uploads", true, "", [], null, null, null, null, false, null, 7),
    ];
}
