using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Storage;
using Hangar.State;

namespace Hangar.Daemon.Dashboard;

/// <summary>
/// A bucket's objects for the dashboard, read through the S3 API itself (ListObjectsV2, one level under a prefix) with
/// the bucket's own key, and download links as SigV4 presigned GETs with that key — the browser fetches the object
/// from the S3 server directly, never through the daemon, and the link stops working after <see cref="LinkLifetime"/>.
/// </summary>
internal sealed class BucketObjects(RecordStore store, StorageSecrets secrets, EmbeddedS3 s3, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(15);
    public const int PageSize = 100;
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public sealed record Item(string Key, long Size, DateTimeOffset? LastModified, string DownloadUrl);

    public sealed record Listing(IReadOnlyList<string> Prefixes, IReadOnlyList<Item> Objects, string? NextToken);

    /// <summary>One page under <paramref name="prefix"/>; a bucket with no Hangar record (made by an owner key) has no key the daemon holds.</summary>
    public async Task<Listing> ListAsync(BucketRecord bucket, string prefix, string? continuationToken, CancellationToken cancellationToken)
    {
        var (keyId, secret) = await KeyAsync(bucket, cancellationToken);
        var query = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["delimiter"] = "/",
            ["list-type"] = "2",
            ["max-keys"] = PageSize.ToString(CultureInfo.InvariantCulture),
            ["prefix"] = prefix,
        };
        if (continuationToken is { Length: > 0 })
        {
            query["continuation-token"] = continuationToken;
        }

        var endpoint = new Uri(s3.EndpointUrl);
        var now = time.GetUtcNow();
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var path = "/" + Uri.EscapeDataString(bucket.Name);
        var canonicalQuery = CanonicalQuery(query);
        var headers = $"host:{endpoint.Authority}\nx-amz-content-sha256:{EmptySha256}\nx-amz-date:{amzDate}\n";
        const string signed = "host;x-amz-content-sha256;x-amz-date";
        var signature = Signature(secret, now, $"GET\n{path}\n{canonicalQuery}\n{headers}\n{signed}\n{EmptySha256}");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, path + "?" + canonicalQuery));
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", EmptySha256);
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={keyId}/{Scope(now)}, SignedHeaders={signed}, Signature={signature}");
        string body;
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HangarException(ErrorCodes.Unavailable, $"the S3 server refused the listing of '{bucket.Name}' ({(int)response.StatusCode})");
            }
        }
        catch (HttpRequestException ex)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"the S3 server at {s3.EndpointUrl} is not answering ({ex.Message})");
        }

        var root = XDocument.Parse(body).Root!;
        IEnumerable<XElement> Children(XElement e, string name) => e.Elements().Where(c => c.Name.LocalName == name);
        string? Value(XElement e, string name) => Children(e, name).FirstOrDefault()?.Value;
        var prefixes = Children(root, "CommonPrefixes").Select(p => Value(p, "Prefix")).OfType<string>().ToList();
        var objects = Children(root, "Contents").Select(c =>
        {
            var key = Value(c, "Key") ?? string.Empty;
            return new Item(
                key,
                long.TryParse(Value(c, "Size"), CultureInfo.InvariantCulture, out var size) ? size : 0,
                DateTimeOffset.TryParse(Value(c, "LastModified"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
                Presign(bucket.Name, key, keyId, secret, now));
        }).ToList();
        var next = Value(root, "IsTruncated") == "true" ? Value(root, "NextContinuationToken") : null;
        return new Listing(prefixes, objects, next);
    }

    /// <summary>A presigned GET of one object (SigV4 query string, UNSIGNED-PAYLOAD, host the only signed header).</summary>
    private string Presign(string bucket, string key, string keyId, string secret, DateTimeOffset now)
    {
        var endpoint = new Uri(s3.EndpointUrl);
        var path = "/" + Uri.EscapeDataString(bucket) + "/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        var query = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["X-Amz-Algorithm"] = "AWS4-HMAC-SHA256",
            ["X-Amz-Credential"] = $"{keyId}/{Scope(now)}",
            ["X-Amz-Date"] = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture),
            ["X-Amz-Expires"] = ((int)LinkLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ["X-Amz-SignedHeaders"] = "host",
        };
        var canonicalQuery = CanonicalQuery(query);
        var signature = Signature(secret, now, $"GET\n{path}\n{canonicalQuery}\nhost:{endpoint.Authority}\n\nhost\nUNSIGNED-PAYLOAD");
        return $"{endpoint.Scheme}://{endpoint.Authority}{path}?{canonicalQuery}&X-Amz-Signature={signature}";
    }

    private async Task<(string KeyId, string Secret)> KeyAsync(BucketRecord bucket, CancellationToken cancellationToken)
    {
        var key = (await store.GetAsync<StorageKeyRecord>(BucketKeys.StorageKey(bucket.AccessKeyId), cancellationToken))?.Value
            ?? throw HangarException.Precondition($"bucket '{bucket.Name}' has lost its key {bucket.AccessKeyId}");
        return (key.Id, secrets.KeySecret(key));
    }

    private static string CanonicalQuery(SortedDictionary<string, string> query) =>
        string.Join('&', query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    private static string Scope(DateTimeOffset now) => $"{now.UtcDateTime:yyyyMMdd}/{EmbeddedS3.SigningRegion}/s3/aws4_request";

    private static string Signature(string secret, DateTimeOffset now, string canonicalRequest)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{Scope(now)}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        foreach (var part in new[] { EmbeddedS3.SigningRegion, "s3", "aws4_request" })
        {
            key = Hmac(key, part);
        }

        return Convert.ToHexStringLower(Hmac(key, toSign));
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    public void Dispose() => _http.Dispose();
}
