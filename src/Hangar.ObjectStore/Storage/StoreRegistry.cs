using System.Collections.Concurrent;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Encryption;

namespace Hangar.ObjectStore.Storage;

/// <summary>Opens bucket stores on first use and owns the data-dir layout: catalog.db, spare, tmp/, buckets/{id}/.</summary>
internal sealed class StoreRegistry : IAsyncDisposable
{
    private readonly string _bucketsDir;
    private readonly string _tmpDir;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Lazy<BucketStore>> _stores = new(StringComparer.Ordinal);

    public StoreRegistry(string dataDir, TimeProvider time, long? reserveBytes = null)
    {
        _time = time;
        Directory.CreateDirectory(dataDir);
        Space = new StorageSpace(dataDir, reserveBytes);
        _bucketsDir = Path.Combine(dataDir, "buckets");
        _tmpDir = Path.Combine(dataDir, "tmp");
        // Anything in tmp/ is a body whose write never reached its index commit.
        if (Directory.Exists(_tmpDir))
        {
            Directory.Delete(_tmpDir, recursive: true);
        }
        Directory.CreateDirectory(_tmpDir);
        Directory.CreateDirectory(_bucketsDir);
        Catalog = new Catalog(Path.Combine(dataDir, "catalog.db"));
        Keys = new KeyRing(dataDir, Catalog);
        Space.RestoreSpare();
    }

    public Catalog Catalog { get; }

    public KeyRing Keys { get; }

    public StorageSpace Space { get; }

    public string TmpDir => _tmpDir;

    /// <summary>Removes blobs renamed into place whose index commit never happened, and directories of deleted buckets.</summary>
    public int SweepOrphans()
    {
        var removed = 0;
        var live = Catalog.Snapshot.Buckets.Values.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories(_bucketsDir))
        {
            var id = Path.GetFileName(dir);
            if (!live.Contains(id))
            {
                Directory.Delete(dir, recursive: true);
                continue;
            }
        }
        foreach (var bucket in Catalog.Snapshot.Buckets.Values)
        {
            var store = Get(bucket);
            removed += store.Blobs.Sweep(store.Index.ReferencedBlobs());
        }
        return removed;
    }

    public BucketStore Get(BucketRecord bucket) =>
        _stores.GetOrAdd(bucket.Id, id => new Lazy<BucketStore>(() => new BucketStore(Path.Combine(_bucketsDir, id), _tmpDir, _time, Space))).Value;

    public async Task DropAsync(BucketRecord bucket)
    {
        if (_stores.TryRemove(bucket.Id, out var store) && store.IsValueCreated)
        {
            await store.Value.DisposeAsync();
        }
        // The catalog row is already gone, so whatever this leaves (a part renamed in concurrently, a
        // kill half-way) belongs to no bucket and the start-up sweep removes it.
        try
        {
            var dir = Path.Combine(_bucketsDir, bucket.Id);
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores.Values.Where(s => s.IsValueCreated))
        {
            await store.Value.DisposeAsync();
        }
        Catalog.Dispose();
    }
}
