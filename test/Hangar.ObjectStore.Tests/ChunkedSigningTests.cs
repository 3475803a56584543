using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hangar.ObjectStore.Checksums;

namespace Hangar.ObjectStore.Tests;

/// <summary>
/// aws-chunked uploads built by hand (an independent SigV4 signer in the test), so bad chunk
/// signatures and bad trailing checksums can be sent; SDKs never send those.
/// </summary>
public sealed class ChunkedSigningTests(S3Fixture fx) : IClassFixture<S3Fixture>
{
    private static readonly byte[][] Chunks = [RandomNumberGenerator.GetBytes(70_000), RandomNumberGenerator.GetBytes(1234)];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SignedChunks_AreVerified(bool tamperSecondChunk)
    {
        var key = "signed-" + tamperSecondChunk;
        var (status, text) = await SendAsync(key, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", trailer: null, (signer, body) =>
        {
            var previous = signer.Seed;
            foreach (var chunk in Chunks.Append([]))
            {
                var signature = signer.ChunkSignature(previous, chunk);
                previous = signature;
                if (tamperSecondChunk && chunk.Length == 1234)
                {
                    signature = new string('0', 64);
                }
                body.Write(Encoding.ASCII.GetBytes($"{chunk.Length:x};chunk-signature={signature}\r\n"));
                body.Write(chunk);
                body.Write("\r\n"u8);
            }
        });
        await AssertOutcomeAsync(key, status, text, tamperSecondChunk ? "SignatureDoesNotMatch" : null);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnsignedPayloadWithChecksumTrailer_IsVerified(bool wrongChecksum)
    {
        var key = "trailer-" + wrongChecksum;
        var crc = Crc32.CreateIeee();
        foreach (var chunk in Chunks)
        {
            crc.Append(chunk);
        }
        var checksum = wrongChecksum ? "AAAAAA==" : Convert.ToBase64String(crc.GetHashAndReset());
        var (status, text) = await SendAsync(key, "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-checksum-crc32", (_, body) =>
        {
            foreach (var chunk in Chunks)
            {
                body.Write(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"));
                body.Write(chunk);
                body.Write("\r\n"u8);
            }
            body.Write(Encoding.ASCII.GetBytes($"0\r\nx-amz-checksum-crc32:{checksum}\r\n\r\n"));
        });
        await AssertOutcomeAsync(key, status, text, wrongChecksum ? "BadDigest" : null);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SignedPayloadWithSignedTrailer_IsVerified(bool tamperTrailerSignature)
    {
        var key = "signed-trailer-" + tamperTrailerSignature;
        var crc = Crc32.CreateIeee();
        foreach (var chunk in Chunks)
        {
            crc.Append(chunk);
        }
        var checksum = Convert.ToBase64String(crc.GetHashAndReset());
        var (status, text) = await SendAsync(key, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "x-amz-checksum-crc32", (signer, body) =>
        {
            var previous = signer.Seed;
            foreach (var chunk in Chunks.Append([]))
            {
                previous = signer.ChunkSignature(previous, chunk);
                body.Write(Encoding.ASCII.GetBytes($"{chunk.Length:x};chunk-signature={previous}\r\n"));
                if (chunk.Length > 0)
                {
                    body.Write(chunk);
                    body.Write("\r\n"u8);
                }
            }
            var trailer = $"x-amz-checksum-crc32:{checksum}\n";
            var trailerSignature = tamperTrailerSignature ? new string('1', 64) : signer.TrailerSignature(previous, trailer);
            body.Write(Encoding.ASCII.GetBytes($"x-amz-checksum-crc32:{checksum}\r\nx-amz-trailer-signature:{trailerSignature}\r\n\r\n"));
        });
        await AssertOutcomeAsync(key, status, text, tamperTrailerSignature ? "SignatureDoesNotMatch" : null);
    }

    private async Task AssertOutcomeAsync(string key, HttpStatusCode status, string text, string? expectedError)
    {
        using var s3 = fx.Client();
        if (expectedError is not null)
        {
            Assert.True(status is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, text);
            Assert.Contains($"<Code>{expectedError}</Code>", text, StringComparison.Ordinal);
            await Assert.ThrowsAnyAsync<Amazon.S3.AmazonS3Exception>(() => s3.GetObjectMetadataAsync("chunked", key));
            return;
        }
        Assert.True(status == HttpStatusCode.OK, text);
        using var get = await s3.GetObjectAsync("chunked", key);
        using var ms = new MemoryStream();
        await get.ResponseStream.CopyToAsync(ms);
        Assert.Equal(Chunks[0].Concat(Chunks[1]).ToArray(), ms.ToArray());
        Assert.Null(get.Headers.ContentEncoding);
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string key, string payloadMode, string? trailer, Action<Signer, MemoryStream> writeBody)
    {
        await fx.PutBucketAsync("chunked", new { ownerKeyId = S3Fixture.OwnerKey });
        var amzDate = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var host = $"127.0.0.1:{fx.Http.Port}";
        var decodedLength = Chunks.Sum(c => c.Length);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-encoding"] = "aws-chunked",
            ["host"] = host,
            ["x-amz-content-sha256"] = payloadMode,
            ["x-amz-date"] = amzDate,
            ["x-amz-decoded-content-length"] = decodedLength.ToString(CultureInfo.InvariantCulture),
        };
        if (trailer is not null)
        {
            headers["x-amz-trailer"] = trailer;
        }
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = $"PUT\n/chunked/{key}\n\n{string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n"))}\n{signedHeaders}\n{payloadMode}";
        var signer = new Signer(S3Fixture.OwnerSecret, amzDate, canonical);

        using var body = new MemoryStream();
        writeBody(signer, body);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(fx.Http, $"/chunked/{key}")) { Content = new ByteArrayContent(body.ToArray()) };
        foreach (var (name, value) in headers)
        {
            if (name == "content-encoding")
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else if (name != "host")
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={S3Fixture.OwnerKey}/{signer.Scope}, SignedHeaders={signedHeaders}, Signature={signer.Seed}");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private sealed class Signer
    {
        private readonly byte[] _key;
        private readonly string _amzDate;

        public Signer(string secret, string amzDate, string canonicalRequest)
        {
            _amzDate = amzDate;
            var date = amzDate[..8];
            Scope = $"{date}/local/s3/aws4_request";
            _key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date), "local"), "s3"), "aws4_request");
            Seed = Hex(Hmac(_key, $"AWS4-HMAC-SHA256\n{amzDate}\n{Scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}"));
        }

        public string Scope { get; }

        public string Seed { get; }

        public string ChunkSignature(string previous, byte[] chunk) =>
            Hex(Hmac(_key, $"AWS4-HMAC-SHA256-PAYLOAD\n{_amzDate}\n{Scope}\n{previous}\n{Hex(SHA256.HashData([]))}\n{Hex(SHA256.HashData(chunk))}"));

        public string TrailerSignature(string previous, string trailer) =>
            Hex(Hmac(_key, $"AWS4-HMAC-SHA256-TRAILER\n{_amzDate}\n{Scope}\n{previous}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(trailer)))}"));

        private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

        private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
    }
}
