namespace Hangar.ObjectStore.Storage;

/// <summary>
/// One row of a bucket index: a version of a key, or a delete marker. <see cref="Blob"/> names a single
/// body file; a completed multipart object instead lists its part files in <see cref="Segments"/>
/// ("blob:size,blob:size") so completion never copies data.
/// </summary>
internal sealed record ObjectVersion(
    string Key,
    long Seq,
    string VersionId,
    bool IsLatest,
    bool DeleteMarker,
    string? Blob,
    string? Segments,
    long Size,
    string ETag,
    long ModifiedMs,
    string Headers,
    string? ChecksumAlgorithm,
    string? Checksum)
{
    public DateTimeOffset Modified => DateTimeOffset.FromUnixTimeMilliseconds(ModifiedMs);

    public IEnumerable<string> BlobIds()
    {
        if (Blob is not null)
        {
            yield return Blob;
        }
        if (Segments is not null)
        {
            foreach (var segment in Segments.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return segment[..segment.IndexOf(':', StringComparison.Ordinal)];
            }
        }
    }

    public IEnumerable<(string Blob, long Size)> Parts()
    {
        if (Blob is not null)
        {
            yield return (Blob, Size);
            yield break;
        }
        if (Segments is not null)
        {
            foreach (var segment in Segments.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var colon = segment.IndexOf(':', StringComparison.Ordinal);
                yield return (segment[..colon], long.Parse(segment.AsSpan(colon + 1)));
            }
        }
    }
}
