using Hangar.ObjectStore.Storage;

namespace Hangar.ObjectStore.Objects;

/// <summary>One line of a listing: an object or a CommonPrefix.</summary>
internal sealed record ListEntry(string Key, ObjectVersion? Object)
{
    public bool IsPrefix => Object is null;
}
