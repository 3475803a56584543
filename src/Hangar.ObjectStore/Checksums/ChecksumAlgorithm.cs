namespace Hangar.ObjectStore.Checksums;

internal enum ChecksumAlgorithm
{
    None,
    Crc32,
    Crc32C,
    Sha1,
    Sha256,
}
