using Hangar.ObjectStore.Multipart;
using Hangar.ObjectStore.Storage;

namespace Hangar.ObjectStore.Lifecycle;

/// <summary>When a bucket's rules make a version, a delete marker or an upload due; pure, so the pass and GET share it.</summary>
internal sealed class LifecycleEvaluator(IReadOnlyList<LifecycleRule> rules, LifecycleClock clock, TagsOf tagsOf)
{
    /// <summary>The earliest expiry (and its rule) of the current version <paramref name="version"/>; null when no rule expires it.</summary>
    public (DateTimeOffset At, string RuleId)? CurrentExpiry(ObjectVersion version)
    {
        (DateTimeOffset At, string RuleId)? best = null;
        IReadOnlyDictionary<string, string>? tags = null;
        foreach (var rule in rules)
        {
            if (!rule.Enabled || (rule.ExpirationDays is null && rule.ExpirationDate is null)
                || !rule.Covers(version.Key, version.Size, () => tags ??= tagsOf(version)))
            {
                continue;
            }
            var at = rule.ExpirationDate ?? clock.After(version.Modified, rule.ExpirationDays!.Value);
            if (best is null || at < best.Value.At)
            {
                best = (at, rule.Id);
            }
        }
        return best;
    }

    /// <summary>When a noncurrent version goes: NoncurrentDays after it stopped being current (its successor's creation).</summary>
    public DateTimeOffset? NoncurrentExpiry(ObjectVersion version, DateTimeOffset becameNoncurrent)
    {
        DateTimeOffset? best = null;
        IReadOnlyDictionary<string, string>? tags = null;
        foreach (var rule in rules)
        {
            if (rule.Enabled && rule.NoncurrentDays is { } days && rule.Covers(version.Key, version.Size, () => tags ??= tagsOf(version)))
            {
                var at = clock.After(becameNoncurrent, days);
                best = best is null || at < best ? at : best;
            }
        }
        return best;
    }

    /// <summary>Whether a delete marker with no versions left behind it is to be removed.</summary>
    public bool RemovesExpiredDeleteMarker(string key) =>
        rules.Any(r => r.Enabled && r.ExpiredObjectDeleteMarker && r.Covers(key, 0, static () => new Dictionary<string, string>()));

    public DateTimeOffset? AbortAt(UploadRecord upload)
    {
        DateTimeOffset? best = null;
        foreach (var rule in rules)
        {
            if (rule.Enabled && rule.AbortDays is { } days && upload.Key.StartsWith(rule.Prefix, StringComparison.Ordinal))
            {
                var at = clock.After(DateTimeOffset.FromUnixTimeMilliseconds(upload.InitiatedMs), days);
                best = best is null || at < best ? at : best;
            }
        }
        return best;
    }
}
