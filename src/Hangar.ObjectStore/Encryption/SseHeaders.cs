using Hangar.ObjectStore.Buckets;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Encryption;

/// <summary>
/// Whether a write is encrypted, and how that is recorded: the stored header pair
/// x-amz-server-side-encryption: AES256 marks a sealed version (or upload), and GET/HEAD serve it as S3 does.
/// </summary>
internal static class SseHeaders
{
    public const string Name = "x-amz-server-side-encryption";
    public const string Aes256 = "AES256";

    /// <summary>The request's choice, else the bucket default; an error code and message for what Hangar cannot do.</summary>
    public static (bool Encrypt, string? ErrorCode, string? Message) Requested(HttpRequest request, BucketRecord bucket)
    {
        if (request.Headers.ContainsKey("x-amz-server-side-encryption-customer-algorithm"))
        {
            return (false, "NotImplemented", "SSE-C (customer-provided keys) is not supported; use x-amz-server-side-encryption: AES256.");
        }
        var value = request.Headers[Name].ToString();
        if (value.Length == 0)
        {
            return (bucket.DefaultEncryption == Aes256, null, null);
        }
        if (value == Aes256)
        {
            if (bucket.Shadow is not null)
            {
                return (false, "NotImplemented", "Server-side encryption is not available on shadow buckets, whose objects are copied to and from the upstream as they are.");
            }
            return (true, null, null);
        }
        return value.StartsWith("aws:kms", StringComparison.Ordinal)
            ? (false, "NotImplemented", "SSE-KMS is not supported; use x-amz-server-side-encryption: AES256.")
            : (false, "InvalidArgument", $"The encryption method specified is not supported: '{value}' (use AES256).");
    }

    public static bool IsSealed(string storedHeaders) =>
        storedHeaders.Contains(Name, StringComparison.Ordinal)
        && Storage.StoredHeaders.Decode(storedHeaders).Any(h => h.Key == Name && h.Value == Aes256);

    /// <summary>The headers with the marker set or removed.</summary>
    public static List<KeyValuePair<string, string>> With(IEnumerable<KeyValuePair<string, string>> headers, bool encrypted)
    {
        var list = headers.Where(h => h.Key != Name).ToList();
        if (encrypted)
        {
            list.Add(new(Name, Aes256));
        }
        return list;
    }
}
