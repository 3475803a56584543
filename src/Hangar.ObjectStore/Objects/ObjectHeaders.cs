using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Objects;

/// <summary>Which request headers are kept with an object and returned on GET/HEAD.</summary>
internal static class ObjectHeaders
{
    private static readonly string[] Stored = ["content-type", "cache-control", "content-disposition", "content-encoding", "content-language", "expires"];

    /// <param name="awsChunked">The body came aws-chunked: that coding describes the transfer, not the object.</param>
    public static List<KeyValuePair<string, string>> FromRequest(HttpRequest request, bool awsChunked)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var name in Stored)
        {
            var value = request.Headers[name].ToString();
            if (name == "content-encoding" && awsChunked)
            {
                // Only the aws-chunked token goes; the rest stays byte for byte as the client sent it.
                value = string.Join(',', value.Split(',').Where(v => !v.Trim().Equals("aws-chunked", StringComparison.OrdinalIgnoreCase))).Trim();
            }
            if (value.Length > 0)
            {
                list.Add(new(name, value));
            }
        }
        if (!list.Any(h => h.Key == "content-type"))
        {
            list.Add(new("content-type", "binary/octet-stream"));
        }
        foreach (var (name, values) in request.Headers)
        {
            if (name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            {
                list.Add(new(name.ToLowerInvariant(), values.ToString()));
            }
        }
        return list;
    }

    public static int MetadataSize(List<KeyValuePair<string, string>> headers) =>
        headers.Where(h => h.Key.StartsWith("x-amz-meta-", StringComparison.Ordinal)).Sum(h => h.Key.Length - 11 + h.Value.Length);
}
