using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hangar.ObjectStore.Http;
using Hangar.ObjectStore.Storage;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Auth;

/// <summary>
/// Checks AWS Signature Version 2: "Authorization: AWS AKID:signature" or a presigned URL with
/// AWSAccessKeyId, Expires and Signature. botocore still signs presigned URLs this way when no region
/// is configured, and older tools sign every request so. Same keys, scoping and skew rules as SigV4.
/// </summary>
internal sealed class SigV2Verifier(TimeProvider time)
{
    public const string HeaderPrefix = "AWS ";

    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    // The sub-resources that are part of the signed resource; every other query parameter is not.
    // S3's documented list plus those botocore's HmacV1Auth also signs, so both agree.
    private static readonly HashSet<string> SignedSubresources = new(StringComparer.Ordinal)
    {
        "accelerate", "acl", "analytics", "cors", "defaultObjectAcl", "delete", "inventory", "lifecycle", "location",
        "logging", "metrics", "notification", "object-lock", "partNumber", "policy", "replication", "requestPayment",
        "restore", "select", "select-type", "storageClass", "tagging", "torrent", "uploadId", "uploads", "versionId",
        "versioning", "versions", "website", "response-cache-control", "response-content-disposition",
        "response-content-encoding", "response-content-language", "response-content-type", "response-expires",
    };

    /// <param name="resourcePath">The path as sent, with "/bucket" in front for virtual-hosted requests.</param>
    public AuthResult VerifyHeader(HttpRequest request, RequestTarget target, string resourcePath, CatalogSnapshot catalog, string authorization)
    {
        var credential = authorization.AsSpan(HeaderPrefix.Length).Trim();
        var colon = credential.LastIndexOf(':');
        if (colon <= 0 || colon == credential.Length - 1)
        {
            return AuthResult.Fail("InvalidArgument", "Authorization header is invalid -- one and only one ' ' (space) required; expected \"AWS AccessKeyId:Signature\".");
        }
        var accessKeyId = credential[..colon].ToString();
        var signature = credential[(colon + 1)..].ToString();
        var date = request.Headers.Date.ToString();
        var amzDate = request.Headers["x-amz-date"].ToString();
        if (!TryParseDate(amzDate.Length > 0 ? amzDate : date, out var when))
        {
            return AuthResult.Fail("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header.");
        }
        if ((time.GetUtcNow() - when).Duration() > MaxSkew)
        {
            return AuthResult.Fail("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
        }
        if (!catalog.Keys.TryGetValue(accessKeyId, out var key))
        {
            return AuthResult.Fail("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
        }
        // S3 signs an empty Date line when x-amz-date is sent; botocore signs its Date header regardless.
        var matched = Matches(key, signature, request, target, resourcePath, amzDate.Length > 0 ? "" : date, query: false);
        if (!matched && amzDate.Length > 0 && date.Length > 0)
        {
            matched = Matches(key, signature, request, target, resourcePath, date, query: false);
        }
        return matched ? Success(key) : Mismatch();
    }

    /// <summary>
    /// The resource as S3 signs it (the path as sent), then the two forms botocore 1.29 signs instead:
    /// a bucket as "/bucket/" whatever it sends, and an operation's fixed query (?uploads, ?delete,
    /// ?list-type=2) once more in front of the sub-resources ("/b/k?uploads?uploads").
    /// </summary>
    private static bool Matches(AccessKeyRecord key, string signature, HttpRequest request, RequestTarget target, string resourcePath, string dateLine, bool query)
    {
        if (Matches(key, signature, StringToSign(request, target, resourcePath, dateLine, query)))
        {
            return true;
        }
        var slash = resourcePath.Length > 1 ? resourcePath.IndexOf('/', 1) : 0;
        if (slash < 0 || slash == resourcePath.Length - 1)
        {
            var other = slash < 0 ? resourcePath + "/" : resourcePath[..^1];
            if (Matches(key, signature, StringToSign(request, target, other, dateLine, query)))
            {
                return true;
            }
        }
        var first = target.RawQuery.Split('&', 2)[0];
        return first.Length > 0 && Matches(key, signature, StringToSign(request, target, resourcePath + "?" + first, dateLine, query));
    }

    public AuthResult VerifyQuery(HttpRequest request, RequestTarget target, string resourcePath, CatalogSnapshot catalog)
    {
        var accessKeyId = target.Get("AWSAccessKeyId") ?? "";
        var signature = target.Get("Signature") ?? "";
        var expires = target.Get("Expires");
        if (!long.TryParse(expires, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var expiresAt))
        {
            return AuthResult.Fail("AccessDenied", $"Invalid date (should be seconds since epoch): {expires}");
        }
        if (time.GetUtcNow().ToUnixTimeSeconds() > expiresAt)
        {
            return AuthResult.Fail("AccessDenied", "Request has expired");
        }
        if (!catalog.Keys.TryGetValue(accessKeyId, out var key))
        {
            return AuthResult.Fail("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
        }
        return Matches(key, signature, request, target, resourcePath, expires!, query: true) ? Success(key) : Mismatch();
    }

    internal static string StringToSign(HttpRequest request, RequestTarget target, string resourcePath, string dateLine, bool query)
    {
        // A presigned URL carries the Content-MD5, Content-Type and x-amz-* headers it was signed with
        // as query parameters; a header sent with the request wins.
        string Standard(string name)
        {
            var value = request.Headers[name].ToString();
            return value.Length == 0 && query ? target.Get(name) ?? target.Get(name.ToLowerInvariant()) ?? "" : value;
        }
        var sb = new StringBuilder(256);
        sb.Append(request.Method).Append('\n')
            .Append(Standard("Content-MD5").Trim()).Append('\n')
            .Append(Standard("Content-Type").Trim()).Append('\n')
            .Append(dateLine).Append('\n');
        var amz = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Headers)
        {
            if (name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            {
                var list = amz.TryGetValue(name.ToLowerInvariant(), out var l) ? l : amz[name.ToLowerInvariant()] = [];
                foreach (var v in values)
                {
                    list.Add(v ?? "");
                }
            }
        }
        if (query)
        {
            foreach (var (name, value) in target.Query)
            {
                if (name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase) && !amz.ContainsKey(name.ToLowerInvariant()))
                {
                    amz[name.ToLowerInvariant()] = [value];
                }
            }
        }
        foreach (var (name, values) in amz)
        {
            sb.Append(name).Append(':');
            for (var i = 0; i < values.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }
                SigV4Verifier.AppendTrimmed(sb, values[i]);
            }
            sb.Append('\n');
        }
        sb.Append(resourcePath);
        AppendSubresources(sb, target.RawQuery);
        return sb.ToString();
    }

    /// <summary>Sub-resources sorted by name, values decoded, "name" and "name=" kept apart as the client sent them.</summary>
    private static void AppendSubresources(StringBuilder sb, string rawQuery)
    {
        var signed = new List<(string Name, string? Value)>();
        foreach (var part in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            if (SignedSubresources.Contains(name))
            {
                signed.Add((name, eq < 0 ? null : UriEncoding.Decode(part.AsSpan(eq + 1))));
            }
        }
        if (signed.Count == 0)
        {
            return;
        }
        // A stable sort on the name alone, as the signers do.
        signed = [.. signed.OrderBy(p => p.Name, StringComparer.Ordinal)];
        sb.Append('?');
        for (var i = 0; i < signed.Count; i++)
        {
            if (i > 0)
            {
                sb.Append('&');
            }
            sb.Append(signed[i].Name);
            if (signed[i].Value is { } value)
            {
                sb.Append('=').Append(value);
            }
        }
    }

    private static bool Matches(AccessKeyRecord key, string signature, string stringToSign)
    {
        var expected = HMACSHA1.HashData(Encoding.UTF8.GetBytes(key.SecretKey), Encoding.UTF8.GetBytes(stringToSign));
        Span<byte> actual = stackalloc byte[32];
        if (!Convert.TryFromBase64String(signature, actual, out var n))
        {
            n = 0;
        }
        // Compares all 20 bytes whatever was sent, so the time taken says nothing about the secret.
        return CryptographicOperations.FixedTimeEquals(expected, actual[..expected.Length]) && n == expected.Length;
    }

    private static AuthResult Success(AccessKeyRecord key) => new() { Key = key, Payload = PayloadMode.Unsigned };

    private static AuthResult Mismatch() => AuthResult.Fail("SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.");

    private static bool TryParseDate(string value, out DateTimeOffset when)
    {
        if (DateTimeOffset.TryParseExact(value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out when))
        {
            return true;
        }
        return value.Length > 0 && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out when);
    }
}
