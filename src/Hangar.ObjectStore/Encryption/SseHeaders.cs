using System.Security.Cryptography;
using Hangar.ObjectStore.Buckets;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Encryption;

/// <summary>
/// Whether a write is encrypted, and how that is recorded in the version's (or upload's) stored headers, which
/// GET/HEAD serve as S3 does: x-amz-server-side-encryption: AES256 marks SSE-S3 (sealed under the bucket's data
/// key); the customer-algorithm and customer-key-MD5 pair marks SSE-C (sealed under the key the client sends
/// with every request, of which only the MD5 is kept).
/// </summary>
internal static class SseHeaders
{
    public const string Name = "x-amz-server-side-encryption";
    public const string Aes256 = "AES256";
    public const string CustomerAlgorithm = "x-amz-server-side-encryption-customer-algorithm";
    public const string CustomerKeyHeader = "x-amz-server-side-encryption-customer-key";
    public const string CustomerKeyMd5 = "x-amz-server-side-encryption-customer-key-MD5";
    private const string CopySourcePrefix = "x-amz-copy-source-";

    /// <summary>The encryption a write asks for (request headers, else the bucket default), or the error to answer.</summary>
    public static SseChoice Requested(HttpRequest request, BucketRecord bucket)
    {
        var customer = CustomerKey(request, copySource: false);
        var value = request.Headers[Name].ToString();
        if (customer.ErrorCode is not null)
        {
            return SseChoice.Fail(customer.ErrorCode, customer.Message!);
        }
        if (customer.Key is not null)
        {
            if (value.Length > 0)
            {
                return SseChoice.Fail("InvalidArgument", "Server Side Encryption with Customer provided key is incompatible with the encryption method specified");
            }
            return bucket.Shadow is not null ? ShadowRefusal() : SseChoice.Customer(customer.Key, customer.Md5!);
        }
        if (value.Length == 0)
        {
            return bucket.DefaultEncryption == Aes256 && bucket.Shadow is null ? SseChoice.S3 : SseChoice.None;
        }
        if (value == Aes256)
        {
            return bucket.Shadow is not null ? ShadowRefusal() : SseChoice.S3;
        }
        return value.StartsWith("aws:kms", StringComparison.Ordinal)
            ? SseChoice.Fail("NotImplemented", "SSE-KMS is not supported; use x-amz-server-side-encryption: AES256 or SSE-C.")
            : SseChoice.Fail("InvalidArgument", $"The encryption method specified is not supported: '{value}' (use AES256).");
    }

    private static SseChoice ShadowRefusal() =>
        SseChoice.Fail("NotImplemented", "Server-side encryption is not available on shadow buckets, whose objects are copied to and from the upstream as they are.");

    /// <summary>
    /// The SSE-C key a request carries (for the copy source with <paramref name="copySource"/>): null when it names
    /// none, an error when the three headers are incomplete, inconsistent or sent over plain HTTP.
    /// </summary>
    public static (byte[]? Key, string? Md5, string? ErrorCode, string? Message) CustomerKey(HttpRequest request, bool copySource)
    {
        // x-amz-server-side-encryption-customer-* becomes x-amz-copy-source-server-side-encryption-customer-*.
        string Header(string name) => copySource ? CopySourcePrefix + name["x-amz-".Length..] : name;
        var algorithm = request.Headers[Header(CustomerAlgorithm)].ToString();
        var key = request.Headers[Header(CustomerKeyHeader)].ToString();
        var md5 = request.Headers[Header(CustomerKeyMd5)].ToString();
        if (algorithm.Length == 0 && key.Length == 0 && md5.Length == 0)
        {
            return (null, null, null, null);
        }
        if (!request.IsHttps)
        {
            return (null, null, "InvalidRequest", "Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.");
        }
        if (algorithm != Aes256)
        {
            return (null, null, "InvalidEncryptionAlgorithmError", $"The encryption request you specified is not valid. The valid value is AES256 (got '{algorithm}').");
        }
        var bytes = new byte[32];
        if (!Convert.TryFromBase64String(key, bytes, out var length) || length != 32)
        {
            return (null, null, "InvalidArgument", "The secret key was invalid for the specified algorithm: it must be 256 bits, base64-encoded.");
        }
        var computed = Convert.ToBase64String(MD5.HashData(bytes));
        if (md5 != computed)
        {
            return (null, null, "InvalidArgument", "The calculated MD5 hash of the key did not match the hash that was provided.");
        }
        return (bytes, computed, null, null);
    }

    public static bool IsSealed(string storedHeaders) => Stored(storedHeaders, Name) == Aes256;

    /// <summary>The MD5 of the customer key a version was sealed under with SSE-C; null for any other version.</summary>
    public static string? CustomerMd5(string storedHeaders) => Stored(storedHeaders, CustomerKeyMd5);

    private static string? Stored(string storedHeaders, string name) =>
        storedHeaders.Contains(name, StringComparison.Ordinal)
            ? Storage.StoredHeaders.Decode(storedHeaders).FirstOrDefault(h => h.Key == name).Value
            : null;

    /// <summary>The headers with any encryption marker replaced by <paramref name="marker"/>.</summary>
    public static List<KeyValuePair<string, string>> With(IEnumerable<KeyValuePair<string, string>> headers, IReadOnlyList<KeyValuePair<string, string>> marker)
    {
        var list = headers.Where(h => h.Key is not (Name or CustomerAlgorithm or CustomerKeyMd5)).ToList();
        list.AddRange(marker);
        return list;
    }
}
