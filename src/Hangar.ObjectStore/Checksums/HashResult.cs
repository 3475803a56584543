namespace Hangar.ObjectStore.Checksums;

internal sealed record HashResult(byte[] Md5, string? Sha256Hex, string? Checksum);
