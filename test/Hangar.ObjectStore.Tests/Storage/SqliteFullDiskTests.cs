using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Storage;
using Hangar.Testing;

namespace Hangar.ObjectStore.Tests.Storage;

/// <summary>The SQLite files (bucket index, catalog) on a tmpfs that fills: a failed write leaves nothing behind that fails the next.</summary>
public sealed class SqliteFullDiskTests
{
    [Fact]
    public async Task WriteThatFailsOnAFullDisk_DoesNotPoisonTheNextWrite()
    {
        using var tmpfs = TmpfsMount.Create(8);
        var index = new BucketIndex(Path.Combine(tmpfs.Path, "index.db"), TimeProvider.System);
        await using (index)
        {
            Assert.True(await index.PutAsync(Version("before", 10), VersioningState.Unversioned, default, null));
            var ballast = tmpfs.Fill();
            // Rows with large headers make SQLite need new pages, which the full disk refuses.
            var failures = 0;
            for (var i = 0; i < 20; i++)
            {
                try
                {
                    await index.PutAsync(Version("big" + i, 200_000), VersioningState.Unversioned, default, null);
                }
                catch (Exception ex)
                {
                    // The real cause, not a follow-on "nested transactions" or "no transaction is active".
                    Assert.True(StorageSpace.IsDiskFull(ex), ex.ToString());
                    failures++;
                }
            }
            Assert.True(failures > 0, "the full disk refused no write");
            File.Delete(ballast);
            Assert.True(await index.PutAsync(Version("after", 10), VersioningState.Unversioned, default, null));
            Assert.NotNull(index.GetLatest("after"));
            Assert.NotNull(await index.DeleteAsync("before", null, VersioningState.Unversioned));
        }
    }

    [Fact]
    public void Catalog_write_that_fails_on_a_full_disk_does_not_poison_the_next_write()
    {
        using var tmpfs = TmpfsMount.Create(8);
        using var catalog = new Catalog(Path.Combine(tmpfs.Path, "catalog.db"));
        catalog.PutBucket(Bucket("before", null));
        var ballast = tmpfs.Fill();
        var failures = 0;
        for (var i = 0; i < 20; i++)
        {
            try
            {
                // An index document this large needs new pages, which the full disk refuses.
                catalog.PutBucket(Bucket("big" + i, new string('d', 200_000)));
            }
            catch (Exception ex)
            {
                Assert.True(StorageSpace.IsDiskFull(ex), ex.ToString());
                failures++;
            }
        }
        Assert.True(failures > 0, "the full disk refused no write");
        File.Delete(ballast);
        catalog.PutBucket(Bucket("after", null));
        Assert.True(catalog.DeleteBucket("before"));
        Assert.Contains("after", catalog.Snapshot.Buckets.Keys);
    }

    private static BucketRecord Bucket(string name, string? indexDocument) =>
        new(name, Guid.NewGuid().ToString("N"), false, null, indexDocument, null, null, VersioningState.Unversioned, null, DateTimeOffset.UnixEpoch);

    private static ObjectVersion Version(string key, int headerBytes) =>
        new(key, 0, BucketIndex.NewVersionId(), true, false, null, null, 0, "etag", 0, new string('h', headerBytes), null, null);
}
