namespace Hangar.Volumes;

/// <summary>What a finished snapshot archive holds: its compressed size, the volume bytes inside, its SHA-256.</summary>
public sealed record SnapshotArchive(long ArchiveBytes, long ContentBytes, string Sha256);
