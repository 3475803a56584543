namespace Hangar.ObjectStore.Checksums;

internal static class ChecksumNames
{
    public static ChecksumAlgorithm Parse(string? name) => name?.ToLowerInvariant() switch
    {
        "crc32" => ChecksumAlgorithm.Crc32,
        "crc32c" => ChecksumAlgorithm.Crc32C,
        "sha1" => ChecksumAlgorithm.Sha1,
        "sha256" => ChecksumAlgorithm.Sha256,
        _ => ChecksumAlgorithm.None,
    };

    public static string HeaderName(ChecksumAlgorithm algorithm) => algorithm switch
    {
        ChecksumAlgorithm.Crc32 => "x-amz-checksum-crc32",
        ChecksumAlgorithm.Crc32C => "x-amz-checksum-crc32c",
        ChecksumAlgorithm.Sha1 => "x-amz-checksum-sha1",
        ChecksumAlgorithm.Sha256 => "x-amz-checksum-sha256",
        _ => string.Empty,
    };

    public static string AlgorithmName(ChecksumAlgorithm algorithm) => algorithm switch
    {
        ChecksumAlgorithm.Crc32 => "CRC32",
        ChecksumAlgorithm.Crc32C => "CRC32C",
        ChecksumAlgorithm.Sha1 => "SHA1",
        ChecksumAlgorithm.Sha256 => "SHA256",
        _ => string.Empty,
    };

    public static readonly ChecksumAlgorithm[] All =
        [ChecksumAlgorithm.Crc32, ChecksumAlgorithm.Crc32C, ChecksumAlgorithm.Sha1, ChecksumAlgorithm.Sha256];
}
