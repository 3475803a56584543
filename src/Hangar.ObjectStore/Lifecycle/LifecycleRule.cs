namespace Hangar.ObjectStore.Lifecycle;

/// <summary>
/// One rule of a bucket's lifecycle configuration, as parsed and validated from the S3 XML.
/// The filter is the conjunction of every non-null part (S3's And); a legacy rule-level Prefix is kept in <see cref="Prefix"/> too.
/// </summary>
internal sealed record LifecycleRule(
    string Id,
    bool Enabled,
    string Prefix,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    long? SizeGreaterThan,
    long? SizeLessThan,
    int? ExpirationDays,
    DateTimeOffset? ExpirationDate,
    bool ExpiredObjectDeleteMarker,
    int? NoncurrentDays,
    int? AbortDays)
{
    /// <summary>Whether the filter covers an object with this key, size and tags (tags looked up only when the rule has tag filters).</summary>
    public bool Covers(string key, long size, Func<IReadOnlyDictionary<string, string>> tags)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        if (SizeGreaterThan is { } min && size <= min)
        {
            return false;
        }
        if (SizeLessThan is { } max && size >= max)
        {
            return false;
        }
        if (Tags.Count > 0)
        {
            var have = tags();
            foreach (var (name, value) in Tags)
            {
                if (!have.TryGetValue(name, out var v) || !string.Equals(v, value, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }
        return true;
    }
}
