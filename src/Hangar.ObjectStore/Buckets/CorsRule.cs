namespace Hangar.ObjectStore.Buckets;

internal sealed record CorsRule(
    string[] AllowedOrigins,
    string[] AllowedMethods,
    string[] AllowedHeaders,
    string[] ExposeHeaders,
    int? MaxAgeSeconds)
{
    public bool MatchesOrigin(string origin) => AllowedOrigins.Any(o => WildcardMatch(o, origin));

    public bool AllowsHeader(string header) => AllowedHeaders.Any(h => WildcardMatch(h, header));

    // S3 allows at most one '*' in an origin or header pattern.
    private static bool WildcardMatch(string pattern, string value)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return string.Equals(pattern, value, StringComparison.OrdinalIgnoreCase);
        }
        var head = pattern[..star];
        var tail = pattern[(star + 1)..];
        return value.Length >= head.Length + tail.Length
            && value.StartsWith(head, StringComparison.OrdinalIgnoreCase)
            && value.EndsWith(tail, StringComparison.OrdinalIgnoreCase);
    }
}
