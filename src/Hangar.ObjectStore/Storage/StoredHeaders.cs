using System.Text;

namespace Hangar.ObjectStore.Storage;

/// <summary>
/// Headers kept with an object (Content-Type, Cache-Control, ..., x-amz-meta-*), stored as
/// "name\nvalue\n" pairs: cheaper to parse on every GET than JSON, and newlines cannot occur in header values.
/// </summary>
internal static class StoredHeaders
{
    public static string Encode(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in headers)
        {
            sb.Append(name).Append('\n').Append(value).Append('\n');
        }
        return sb.ToString();
    }

    public static List<KeyValuePair<string, string>> Decode(string encoded)
    {
        var result = new List<KeyValuePair<string, string>>();
        var span = encoded.AsSpan();
        while (!span.IsEmpty)
        {
            var nl = span.IndexOf('\n');
            if (nl < 0)
            {
                break;
            }
            var name = span[..nl].ToString();
            span = span[(nl + 1)..];
            nl = span.IndexOf('\n');
            if (nl < 0)
            {
                break;
            }
            result.Add(new(name, span[..nl].ToString()));
            span = span[(nl + 1)..];
        }
        return result;
    }
}
