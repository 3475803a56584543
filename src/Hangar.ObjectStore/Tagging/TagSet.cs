using System.Text;
using System.Xml.Linq;
using Hangar.ObjectStore.Storage;

namespace Hangar.ObjectStore.Tagging;

/// <summary>
/// An object's tags, in the order the client gave them. Stored as one more pair in the version's stored
/// headers ("x-hangar-tagging", URL-encoded like x-amz-tagging), like the ACL: written in the same index row
/// and commit as the version, per version, carried by multipart uploads to completion and gone with the
/// version — no schema change. Clients cannot set the pair: only listed headers and x-amz-meta-* are stored.
/// </summary>
internal sealed class TagSet
{
    public const string HeaderName = "x-hangar-tagging";
    public const int MaxTags = 10;
    public const int MaxKeyLength = 128;
    public const int MaxValueLength = 256;

    public static readonly TagSet Empty = new([]);

    public TagSet(IReadOnlyList<KeyValuePair<string, string>> tags) => Tags = tags;

    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; }

    public int Count => Tags.Count;

    /// <summary>S3's checks, in S3's order; null when the set is valid, else (code, message).</summary>
    public (string Code, string Message)? Validate()
    {
        if (Tags.Count > MaxTags)
        {
            return ("BadRequest", "Object tags cannot be greater than 10");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in Tags)
        {
            if (key.Length == 0)
            {
                return ("InvalidTag", "The TagKey you have provided is invalid");
            }
            if (CharCount(key) > MaxKeyLength)
            {
                return ("InvalidTag", $"The TagKey you have provided is too long, max {MaxKeyLength}");
            }
            if (CharCount(value) > MaxValueLength)
            {
                return ("InvalidTag", $"The TagValue you have provided is too long, max {MaxValueLength}");
            }
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                return ("InvalidTag", "Your TagKey cannot be prefixed with aws:");
            }
            if (!seen.Add(key))
            {
                return ("InvalidTag", "Cannot provide multiple Tags with the same key");
            }
        }
        return null;
    }

    /// <summary>Unicode characters, as S3 counts them (a surrogate pair is one).</summary>
    private static int CharCount(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }
        return count;
    }

    /// <summary>Parses x-amz-tagging ("k1=v1&amp;k2=v2", URL-encoded); null when it is not a query string.</summary>
    public static TagSet? ParseQuery(string encoded)
    {
        var tags = new List<KeyValuePair<string, string>>();
        foreach (var part in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = Unescape(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : Unescape(part[(eq + 1)..]);
            if (key is null || value is null)
            {
                return null;
            }
            tags.Add(new(key, value));
        }
        return new TagSet(tags);
    }

    private static string? Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    /// <summary>Parses a Tagging document (PutObjectTagging's body, POST's tagging field); null when malformed.</summary>
    public static TagSet? FromXml(XDocument? doc)
    {
        if (doc?.Root is not { Name.LocalName: "Tagging" } root)
        {
            return null;
        }
        var tags = new List<KeyValuePair<string, string>>();
        foreach (var set in root.Elements().Where(e => e.Name.LocalName == "TagSet"))
        {
            foreach (var tag in set.Elements().Where(e => e.Name.LocalName == "Tag"))
            {
                var key = tag.Elements().FirstOrDefault(e => e.Name.LocalName == "Key")?.Value;
                var value = tag.Elements().FirstOrDefault(e => e.Name.LocalName == "Value")?.Value;
                if (key is null || value is null)
                {
                    return null;
                }
                tags.Add(new(key, value));
            }
        }
        return new TagSet(tags);
    }

    public string ToQuery()
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in Tags)
        {
            if (sb.Length > 0)
            {
                sb.Append('&');
            }
            sb.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return sb.ToString();
    }

    /// <summary>The tags kept in a version's stored headers (empty when it has none).</summary>
    public static TagSet Read(string storedHeaders)
    {
        if (!storedHeaders.Contains(HeaderName, StringComparison.Ordinal))
        {
            return Empty;
        }
        foreach (var (name, value) in StoredHeaders.Decode(storedHeaders))
        {
            if (name == HeaderName)
            {
                return ParseQuery(value) ?? Empty;
            }
        }
        return Empty;
    }

    public static List<KeyValuePair<string, string>> Strip(IEnumerable<KeyValuePair<string, string>> headers) =>
        [.. headers.Where(h => h.Key != HeaderName)];

    /// <summary>Headers with this set's pair in place of any earlier one (none when the set is empty).</summary>
    public List<KeyValuePair<string, string>> ApplyTo(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var list = Strip(headers);
        if (Tags.Count > 0)
        {
            list.Add(new(HeaderName, ToQuery()));
        }
        return list;
    }

    public string ApplyTo(string storedHeaders) => StoredHeaders.Encode(ApplyTo(StoredHeaders.Decode(storedHeaders)));
}
