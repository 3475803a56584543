using Hangar.ObjectStore.Storage;

namespace Hangar.ObjectStore.Multipart;

internal readonly record struct CompleteResult(CompleteStatus Status, ObjectVersion? Version);
