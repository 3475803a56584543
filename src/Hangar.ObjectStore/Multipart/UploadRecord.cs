namespace Hangar.ObjectStore.Multipart;

internal sealed record UploadRecord(string UploadId, string Key, long InitiatedMs, string Headers, string? ChecksumAlgorithm);
