using Hangar.ObjectStore.Checksums;

namespace Hangar.ObjectStore.Objects;

/// <summary>A request body now on disk (fsynced, in tmp/), or the S3 error that rejected it.</summary>
internal sealed record ReceivedBody(string? TempPath, long Length, string Md5Hex, ChecksumAlgorithm Algorithm, string? Checksum, string? ErrorCode, string? ErrorMessage)
{
    public static ReceivedBody Failed(string code, string message) => new(null, 0, "", ChecksumAlgorithm.None, null, code, message);
}
