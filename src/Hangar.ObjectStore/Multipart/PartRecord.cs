namespace Hangar.ObjectStore.Multipart;

internal sealed record PartRecord(int PartNumber, string Blob, long Size, string ETag, long ModifiedMs);
