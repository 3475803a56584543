using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Hangar.ObjectStore.Http;
using Hangar.ObjectStore.Storage;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Auth;

/// <summary>
/// Checks AWS Signature Version 4, in the Authorization header or in the query (presigned URLs), and
/// hands Signature Version 2 requests to <see cref="SigV2Verifier"/>.
/// The credential's own region is used for the signing key, so clients configured with us-east-1
/// or "auto" work against a server whose region is "local".
/// </summary>
internal sealed class SigV4Verifier(TimeProvider time)
{
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);
    private readonly ConcurrentDictionary<string, byte[]> _signingKeys = new(StringComparer.Ordinal);
    private readonly SigV2Verifier _v2 = new(time);

    /// <param name="resourcePath">The path as sent, with "/bucket" in front for virtual-hosted requests (SigV2 signs it).</param>
    public AuthResult Verify(HttpRequest request, RequestTarget target, string resourcePath, CatalogSnapshot catalog)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            if (authorization.StartsWith(SigV2Verifier.HeaderPrefix, StringComparison.Ordinal))
            {
                return _v2.VerifyHeader(request, target, resourcePath, catalog, authorization);
            }
            if (!authorization.StartsWith(SigV4.Algorithm + " ", StringComparison.Ordinal))
            {
                return AuthResult.Fail("InvalidArgument", "Unsupported Authorization Type: only AWS4-HMAC-SHA256 and AWS (Signature Version 2) are supported.");
            }
            return VerifyHeader(request, target, catalog, authorization);
        }
        if (target.Get("X-Amz-Algorithm") is { } algorithm)
        {
            if (algorithm != SigV4.Algorithm)
            {
                return AuthResult.Fail("InvalidRequest", "Only AWS Signature Version 4 (AWS4-HMAC-SHA256) is supported.");
            }
            return VerifyQuery(request, target, catalog);
        }
        if (target.Has("Signature") && target.Has("AWSAccessKeyId"))
        {
            return _v2.VerifyQuery(request, target, resourcePath, catalog);
        }
        return AuthResult.Anonymous;
    }

    private AuthResult VerifyHeader(HttpRequest request, RequestTarget target, CatalogSnapshot catalog, string authorization)
    {
        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in authorization.AsSpan(SigV4.Algorithm.Length + 1).ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("Credential=", StringComparison.Ordinal))
            {
                credential = part["Credential=".Length..];
            }
            else if (part.StartsWith("SignedHeaders=", StringComparison.Ordinal))
            {
                signedHeaders = part["SignedHeaders=".Length..];
            }
            else if (part.StartsWith("Signature=", StringComparison.Ordinal))
            {
                signature = part["Signature=".Length..];
            }
        }
        if (credential is null || signedHeaders is null || signature is null)
        {
            return AuthResult.Fail("AuthorizationHeaderMalformed", "The authorization header is malformed.");
        }
        var amzDate = request.Headers["x-amz-date"].ToString();
        if (amzDate.Length == 0)
        {
            amzDate = request.Headers.Date.ToString();
            if (DateTimeOffset.TryParse(amzDate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var http))
            {
                amzDate = http.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            }
        }
        if (!TryParseAmzDate(amzDate, out var when))
        {
            return AuthResult.Fail("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header.");
        }
        if ((time.GetUtcNow() - when).Duration() > MaxSkew)
        {
            return AuthResult.Fail("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
        }
        var payloadHash = request.Headers["x-amz-content-sha256"].ToString();
        if (payloadHash.Length == 0)
        {
            return AuthResult.Fail("InvalidRequest", "Missing required header for this request: x-amz-content-sha256.");
        }
        var mode = payloadHash switch
        {
            SigV4.UnsignedPayload => PayloadMode.Unsigned,
            SigV4.StreamingSigned => PayloadMode.StreamingSigned,
            SigV4.StreamingSignedTrailer => PayloadMode.StreamingSignedTrailer,
            SigV4.StreamingUnsignedTrailer => PayloadMode.StreamingUnsignedTrailer,
            _ when payloadHash.Length == 64 && payloadHash.AsSpan().IndexOfAnyExceptInRange('0', 'f') < 0 => PayloadMode.Sha256,
            _ => (PayloadMode)(-1),
        };
        if ((int)mode < 0)
        {
            return AuthResult.Fail("InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-... or a hex SHA-256.");
        }
        var canonical = CanonicalRequest(request, target, signedHeaders, payloadHash, excludeSignature: false);
        return Check(catalog, credential, amzDate, signature, canonical, mode, payloadHash);
    }

    private AuthResult VerifyQuery(HttpRequest request, RequestTarget target, CatalogSnapshot catalog)
    {
        var credential = target.Get("X-Amz-Credential");
        var amzDate = target.Get("X-Amz-Date");
        var expires = target.Get("X-Amz-Expires");
        var signedHeaders = target.Get("X-Amz-SignedHeaders");
        var signature = target.Get("X-Amz-Signature");
        if (credential is null || amzDate is null || signedHeaders is null || signature is null)
        {
            return AuthResult.Fail("AuthorizationQueryParametersError", "Query-string authentication requires X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders and X-Amz-Signature.");
        }
        if (!TryParseAmzDate(amzDate, out var when))
        {
            return AuthResult.Fail("AuthorizationQueryParametersError", "X-Amz-Date must be in the ISO8601 basic format.");
        }
        if (!int.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1 || seconds > 604800)
        {
            return AuthResult.Fail("AuthorizationQueryParametersError", "X-Amz-Expires must be between 1 and 604800 seconds.");
        }
        var now = time.GetUtcNow();
        if (when - now > MaxSkew)
        {
            return AuthResult.Fail("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
        }
        if (now > when.AddSeconds(seconds))
        {
            return AuthResult.Fail("AccessDenied", "Request has expired");
        }
        var payloadHash = request.Headers["x-amz-content-sha256"].ToString();
        if (payloadHash.Length == 0 || !signedHeaders.Split(';').Contains("x-amz-content-sha256"))
        {
            payloadHash = SigV4.UnsignedPayload;
        }
        var canonical = CanonicalRequest(request, target, signedHeaders, payloadHash, excludeSignature: true);
        return Check(catalog, credential, amzDate, signature, canonical, PayloadMode.Unsigned, payloadHash);
    }

    private AuthResult Check(CatalogSnapshot catalog, string credential, string amzDate, string signature,
        string canonicalRequest, PayloadMode mode, string payloadHash)
    {
        // Credential = AKID/yyyymmdd/region/service/aws4_request
        var parts = credential.Split('/');
        if (parts.Length != 5 || parts[4] != "aws4_request")
        {
            return AuthResult.Fail("AuthorizationHeaderMalformed", "The credential is malformed.");
        }
        if (!catalog.Keys.TryGetValue(parts[0], out var key))
        {
            return AuthResult.Fail("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
        }
        if (!amzDate.StartsWith(parts[1], StringComparison.Ordinal))
        {
            return AuthResult.Fail("SignatureDoesNotMatch", "The credential date does not match the request date.");
        }
        var scope = string.Join('/', parts, 1, 4);
        var signingKey = SigningKey(key, parts[1], parts[2], parts[3]);
        var stringToSign = $"{SigV4.Algorithm}\n{amzDate}\n{scope}\n{SigV4.HexSha256(canonicalRequest)}";
        var expected = SigV4.Sign(signingKey, stringToSign);
        if (!SigV4.SignatureEquals(expected, signature))
        {
            return AuthResult.Fail("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
        }
        return new AuthResult
        {
            Key = key,
            Payload = mode,
            PayloadSha256 = mode == PayloadMode.Sha256 ? payloadHash : null,
            Chunks = mode is PayloadMode.StreamingSigned or PayloadMode.StreamingSignedTrailer
                ? new ChunkSigningContext(signingKey, amzDate, scope, expected)
                : null,
        };
    }

    private byte[] SigningKey(AccessKeyRecord key, string date, string region, string service)
    {
        var cacheKey = string.Join('\n', key.AccessKeyId, key.SecretKey, date, region, service);
        if (_signingKeys.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }
        if (_signingKeys.Count > 4096)
        {
            _signingKeys.Clear();
        }
        return _signingKeys[cacheKey] = SigV4.SigningKey(key.SecretKey, date, region, service);
    }

    internal static string CanonicalRequest(HttpRequest request, RequestTarget target, string signedHeaders, string payloadHash, bool excludeSignature)
    {
        var sb = new StringBuilder(256);
        sb.Append(request.Method).Append('\n');
        sb.Append(UriEncoding.Encode(target.Path, keepSlash: true)).Append('\n');
        var query = new List<KeyValuePair<string, string>>(target.Query.Count);
        foreach (var (k, v) in target.Query)
        {
            if (excludeSignature && k == "X-Amz-Signature")
            {
                continue;
            }
            query.Add(new(UriEncoding.Encode(k, false), UriEncoding.Encode(v, false)));
        }
        query.Sort((a, b) =>
        {
            var c = string.CompareOrdinal(a.Key, b.Key);
            return c != 0 ? c : string.CompareOrdinal(a.Value, b.Value);
        });
        for (var i = 0; i < query.Count; i++)
        {
            if (i > 0)
            {
                sb.Append('&');
            }
            sb.Append(query[i].Key).Append('=').Append(query[i].Value);
        }
        sb.Append('\n');
        foreach (var name in signedHeaders.Split(';'))
        {
            sb.Append(name).Append(':');
            var values = request.Headers[name];
            for (var i = 0; i < values.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }
                AppendTrimmed(sb, values[i] ?? "");
            }
            sb.Append('\n');
        }
        sb.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        return sb.ToString();
    }

    internal static void AppendTrimmed(StringBuilder sb, string value)
    {
        var span = value.AsSpan().Trim();
        var space = false;
        foreach (var c in span)
        {
            if (c == ' ' || c == '\t')
            {
                space = true;
                continue;
            }
            if (space)
            {
                sb.Append(' ');
                space = false;
            }
            sb.Append(c);
        }
    }

    private static bool TryParseAmzDate(string value, out DateTimeOffset when) =>
        DateTimeOffset.TryParseExact(value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out when);
}
