using System.Security.Cryptography;

namespace Hangar.ObjectStore.Checksums;

/// <summary>
/// Hashes an object body once while it streams to disk: MD5 always (the ETag), SHA-256 when the
/// signature covers the payload, and the one x-amz-checksum-* algorithm the client asked for.
/// </summary>
internal sealed class BodyHasher : IDisposable
{
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly IncrementalHash? _sha256;
    private readonly IncrementalHash? _sha1;
    private readonly Crc32? _crc;
    private readonly ChecksumAlgorithm _algorithm;

    public BodyHasher(bool payloadSha256, ChecksumAlgorithm algorithm)
    {
        _algorithm = algorithm;
        if (payloadSha256 || algorithm == ChecksumAlgorithm.Sha256)
        {
            _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }
        if (algorithm == ChecksumAlgorithm.Sha1)
        {
            _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        }
        _crc = algorithm switch
        {
            ChecksumAlgorithm.Crc32 => Crc32.CreateIeee(),
            ChecksumAlgorithm.Crc32C => Crc32.CreateCastagnoli(),
            _ => null,
        };
    }

    public ChecksumAlgorithm Algorithm => _algorithm;

    public long Length { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        Length += data.Length;
        _md5.AppendData(data);
        _sha256?.AppendData(data);
        _sha1?.AppendData(data);
        _crc?.Append(data);
    }

    public HashResult Finish()
    {
        var md5 = _md5.GetHashAndReset();
        var sha = _sha256?.GetHashAndReset();
        string? checksum = _algorithm switch
        {
            ChecksumAlgorithm.Crc32 or ChecksumAlgorithm.Crc32C => Convert.ToBase64String(_crc!.GetHashAndReset()),
            ChecksumAlgorithm.Sha1 => Convert.ToBase64String(_sha1!.GetHashAndReset()),
            ChecksumAlgorithm.Sha256 => Convert.ToBase64String(sha!),
            _ => null,
        };
        return new HashResult(md5, sha is null ? null : Convert.ToHexStringLower(sha), checksum);
    }

    public void Dispose()
    {
        _md5.Dispose();
        _sha256?.Dispose();
        _sha1?.Dispose();
    }
}
