using System.Xml.Linq;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Lifecycle;
using Hangar.ObjectStore.Multipart;
using Hangar.ObjectStore.Storage;
using Hangar.ObjectStore.Tagging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hangar.ObjectStore.Tests.Lifecycle;

/// <summary>The enforcement pass on a real bucket index, driven by a fake clock.</summary>
public sealed class LifecycleWorkerTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hangar-lifecycle-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 15, 0, 0, TimeSpan.Zero));
    private StoreRegistry _stores = null!;

    public Task InitializeAsync()
    {
        _stores = new StoreRegistry(_dir, _time, 0);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stores.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private BucketRecord AddBucket(string rules, VersioningState versioning = VersioningState.Unversioned)
    {
        var parsed = LifecycleXml.Parse(XDocument.Parse($"<LifecycleConfiguration>{rules}</LifecycleConfiguration>"));
        var bucket = new BucketRecord("b", "id-b", false, null, null, null, null, versioning, null, _time.GetUtcNow()) { Lifecycle = parsed.Rules! };
        _stores.Catalog.PutBucket(bucket);
        return _stores.Catalog.Snapshot.Buckets["b"];
    }

    private async Task PutAsync(BucketRecord bucket, string key, long size = 1, TagSet? tags = null)
    {
        var version = new ObjectVersion(key, 0, BucketIndex.NewVersionId(), true, false, null, "", size, "etag",
            _time.GetUtcNow().ToUnixTimeMilliseconds(), tags is null ? "" : tags.ApplyTo(""), null, null);
        Assert.True(await _stores.Get(bucket).Index.PutAsync(version, bucket.Versioning, default, null));
    }

    private LifecycleWorker Worker(TimeSpan? budget = null) =>
        new(_stores, _time, LifecycleClock.Standard, TimeSpan.FromHours(1), budget ?? TimeSpan.FromMinutes(1), LifecycleTags.Stored, NullLogger.Instance);

    private const string TmpAfterOneDay = "<Rule><ID>tmp</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>";

    [Fact]
    public async Task Objects_expire_at_the_midnight_after_Days_and_only_those_the_rule_covers()
    {
        var bucket = AddBucket(TmpAfterOneDay);
        await PutAsync(bucket, "tmp/a");
        await PutAsync(bucket, "keep/a");
        var index = _stores.Get(bucket).Index;
        await using var worker = Worker();
        // Made at 15:00 on the 10th: due at midnight starting the 12th, not 24 hours later.
        _time.SetUtcNow(new DateTimeOffset(2026, 3, 11, 23, 59, 0, TimeSpan.Zero));
        Assert.True(await worker.RunPassAsync(CancellationToken.None));
        Assert.NotNull(index.GetLatest("tmp/a"));
        _time.SetUtcNow(new DateTimeOffset(2026, 3, 12, 0, 0, 0, TimeSpan.Zero));
        Assert.True(await worker.RunPassAsync(CancellationToken.None));
        Assert.Null(index.GetLatest("tmp/a"));
        Assert.NotNull(index.GetLatest("keep/a"));
    }

    [Fact]
    public async Task A_tag_filter_expires_objects_carrying_the_tag_and_no_others()
    {
        var bucket = AddBucket("<Rule><ID>scratch</ID><Filter><Tag><Key>tier</Key><Value>scratch</Value></Tag></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>");
        await PutAsync(bucket, "a", tags: new TagSet([new("tier", "scratch")]));
        await PutAsync(bucket, "b", tags: new TagSet([new("tier", "keep")]));
        await PutAsync(bucket, "c");
        var index = _stores.Get(bucket).Index;
        await using var worker = Worker();
        _time.Advance(TimeSpan.FromDays(2));
        Assert.True(await worker.RunPassAsync(CancellationToken.None));
        Assert.Null(index.GetLatest("a"));
        Assert.NotNull(index.GetLatest("b"));
        Assert.NotNull(index.GetLatest("c"));
    }

    [Fact]
    public async Task Versioned_bucket_gets_a_delete_marker_then_noncurrent_expiry_and_lone_marker_removal()
    {
        var bucket = AddBucket(TmpAfterOneDay.Replace("</Expiration>", "</Expiration><NoncurrentVersionExpiration><NoncurrentDays>2</NoncurrentDays></NoncurrentVersionExpiration>")
            + "<Rule><ID>markers</ID><Filter/><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>",
            VersioningState.Enabled);
        await PutAsync(bucket, "tmp/a");
        var index = _stores.Get(bucket).Index;
        await using var worker = Worker();
        _time.Advance(TimeSpan.FromDays(2));
        await worker.RunPassAsync(CancellationToken.None);
        var latest = index.GetLatest("tmp/a");
        Assert.True(latest!.DeleteMarker);
        Assert.Equal(2, index.ListVersions([], null, false, null, 10).Count);
        // The data became noncurrent when the marker was made; two days (rounded) later it goes, then the lone marker.
        _time.Advance(TimeSpan.FromDays(3));
        await worker.RunPassAsync(CancellationToken.None);
        await worker.RunPassAsync(CancellationToken.None);
        Assert.Empty(index.ListVersions([], null, false, null, 10));
    }

    [Fact]
    public async Task A_stale_candidate_is_rechecked_before_deleting_so_an_overwrite_survives()
    {
        var bucket = AddBucket(TmpAfterOneDay);
        await PutAsync(bucket, "tmp/a");
        var index = _stores.Get(bucket).Index;
        var stale = index.GetLatest("tmp/a")!;
        _time.Advance(TimeSpan.FromDays(2));
        // Overwritten after the pass read its page: the old row is gone and the new one is not due.
        await PutAsync(bucket, "tmp/a");
        var evaluator = new LifecycleEvaluator(bucket.Lifecycle, LifecycleClock.Standard, LifecycleTags.Stored);
        Assert.False(await index.ExpireCurrentAsync("tmp/a", stale.Seq, bucket.Versioning, v => evaluator.CurrentExpiry(v)!.Value.At <= _time.GetUtcNow()));
        Assert.NotNull(index.GetLatest("tmp/a"));
        // And a rule removed between the read and the write deletes nothing either.
        var current = index.GetLatest("tmp/a")!;
        _time.Advance(TimeSpan.FromDays(2));
        Assert.False(await index.ExpireCurrentAsync("tmp/a", current.Seq, bucket.Versioning, _ => false));
        Assert.NotNull(index.GetLatest("tmp/a"));
    }

    [Fact]
    public async Task A_pass_out_of_time_pauses_and_the_next_one_resumes()
    {
        var bucket = AddBucket(TmpAfterOneDay);
        for (var i = 0; i < 600; i++)
        {
            await PutAsync(bucket, $"tmp/{i:D4}");
        }
        await PutAsync(bucket, "zkeep");
        _time.Advance(TimeSpan.FromDays(2));
        await using var worker = Worker(budget: TimeSpan.Zero);
        Assert.False(await worker.RunPassAsync(CancellationToken.None));
        var index = _stores.Get(bucket).Index;
        var left = index.ListLatest([], false, null, 1000).Count;
        Assert.InRange(left, 2, 600);
        var passes = 1;
        while (!await worker.RunPassAsync(CancellationToken.None))
        {
            passes++;
            Assert.True(passes < 10, "the pass never finished");
        }
        Assert.Equal(["zkeep"], index.ListLatest([], false, null, 1000).Select(v => v.Key));
    }

    [Fact]
    public async Task Incomplete_uploads_are_aborted_after_DaysAfterInitiation()
    {
        var bucket = AddBucket("<Rule><ID>mp</ID><Filter/><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>");
        var index = _stores.Get(bucket).Index;
        Assert.True(await index.CreateUploadAsync(new UploadRecord("u1", "big", _time.GetUtcNow().ToUnixTimeMilliseconds(), "", null)));
        await using var worker = Worker();
        _time.Advance(TimeSpan.FromDays(7));
        await worker.RunPassAsync(CancellationToken.None);
        Assert.NotNull(index.GetUpload("u1"));
        _time.Advance(TimeSpan.FromDays(1));
        await worker.RunPassAsync(CancellationToken.None);
        Assert.Null(index.GetUpload("u1"));
    }
}
