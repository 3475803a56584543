namespace Hangar.ObjectStore.Storage;

/// <summary>Conditional-write headers, checked inside the index transaction so the check and the write are atomic.</summary>
internal readonly record struct WriteCondition(bool IfNoneMatchStar, string? IfMatch)
{
    public bool Holds(ObjectVersion? latest)
    {
        var exists = latest is not null && !latest.DeleteMarker;
        if (IfNoneMatchStar && exists)
        {
            return false;
        }
        if (IfMatch is not null && (!exists || (IfMatch != "*" && IfMatch.Trim('"') != latest!.ETag)))
        {
            return false;
        }
        return true;
    }
}
