namespace Hangar.ObjectStore.Storage;

/// <summary>A bucket's index and blob files: data-dir/buckets/{bucket id}/.</summary>
internal sealed class BucketStore : IAsyncDisposable
{
    public BucketStore(string directory, string tmpDir, TimeProvider time, StorageSpace space)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
        Blobs = new BlobStore(directory, tmpDir, space);
        Index = new BucketIndex(Path.Combine(directory, "index.db"), time, space);
        Index.DeleteBlobs = ids =>
        {
            foreach (var id in ids)
            {
                Blobs.Delete(id);
            }
        };
    }

    public string Directory { get; }

    public BlobStore Blobs { get; }

    public BucketIndex Index { get; }

    public ValueTask DisposeAsync() => Index.DisposeAsync();
}
