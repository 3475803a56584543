using Hangar.ObjectStore.Auth;

namespace Hangar.ObjectStore.Http;

/// <summary>
/// The request line as the client sent it. SigV4 signs the client's encoding, so this is parsed from
/// the raw target rather than from ASP.NET's already-decoded Path and Query.
/// </summary>
internal sealed class RequestTarget
{
    private readonly List<KeyValuePair<string, string>> _query;

    private RequestTarget(string rawPath, string rawQuery, string path, List<KeyValuePair<string, string>> query, bool hasQuery)
    {
        RawPath = rawPath;
        RawQuery = rawQuery;
        Path = path;
        _query = query;
        HasQuery = hasQuery;
    }

    public string RawPath { get; }

    /// <summary>Everything after the '?', undecoded ("" without one).</summary>
    public string RawQuery { get; }

    /// <summary>Decoded path, starting with '/'.</summary>
    public string Path { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Query => _query;

    public bool HasQuery { get; }

    public static RequestTarget Parse(string rawTarget)
    {
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? rawTarget : rawTarget[..q];
        if (rawPath.Length == 0 || rawPath[0] != '/')
        {
            // Absolute-form targets (proxies) carry scheme and authority first.
            var scheme = rawPath.IndexOf("://", StringComparison.Ordinal);
            var slash = scheme < 0 ? -1 : rawPath.IndexOf('/', scheme + 3);
            rawPath = slash < 0 ? "/" : rawPath[slash..];
        }
        var query = new List<KeyValuePair<string, string>>();
        if (q >= 0)
        {
            foreach (var part in rawTarget.AsSpan(q + 1).ToString().Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = part.IndexOf('=', StringComparison.Ordinal);
                query.Add(eq < 0
                    ? new(UriEncoding.Decode(part), "")
                    : new(UriEncoding.Decode(part.AsSpan(0, eq)), UriEncoding.Decode(part.AsSpan(eq + 1))));
            }
        }
        return new RequestTarget(rawPath, q < 0 ? "" : rawTarget[(q + 1)..], UriEncoding.Decode(rawPath), query, q >= 0);
    }

    public string? Get(string name)
    {
        foreach (var (k, v) in _query)
        {
            if (string.Equals(k, name, StringComparison.Ordinal))
            {
                return v;
            }
        }
        return null;
    }

    public bool Has(string name) => Get(name) is not null;

    /// <summary>The decoded bytes of a parameter's value, which may not be UTF-8; null when absent.</summary>
    public byte[]? GetBytes(string name)
    {
        foreach (var part in RawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (UriEncoding.Decode(eq < 0 ? part : part.AsSpan(0, eq)) == name)
            {
                return eq < 0 ? [] : UriEncoding.DecodeBytes(part.AsSpan(eq + 1));
            }
        }
        return null;
    }
}
