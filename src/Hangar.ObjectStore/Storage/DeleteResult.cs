namespace Hangar.ObjectStore.Storage;

internal readonly record struct DeleteResult(string? VersionId, bool DeleteMarker);
