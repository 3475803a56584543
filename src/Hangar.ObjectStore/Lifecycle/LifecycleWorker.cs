using System.Text;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Storage;
using Microsoft.Extensions.Logging;

namespace Hangar.ObjectStore.Lifecycle;

/// <summary>
/// The background pass that enforces lifecycle rules. Bounded: it reads a page of index rows at a time through
/// the read pool (never the writer), sends that page's deletions as separate small transactions to the group
/// commit, and stops at a time budget, resuming the next interval where it stopped. Crash-safe: every deletion
/// re-checks its row and the bucket's current rules inside its own transaction (BucketIndex.Lifecycle.cs), so
/// a killed or stale pass can only skip work, never delete what no rule covers now.
/// </summary>
internal sealed class LifecycleWorker(
    StoreRegistry stores,
    TimeProvider time,
    LifecycleClock clock,
    TimeSpan interval,
    TimeSpan budget,
    TagsOf tagsOf,
    ILogger logger) : IAsyncDisposable
{
    private const int PageSize = 256;

    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, LifecycleCursor> _cursors = new(StringComparer.Ordinal);
    private Task _loop = Task.CompletedTask;

    public void Start() => _loop = Task.Run(() => LoopAsync(_stop.Token));

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await RunPassAsync(cancellationToken);
            try
            {
                await Task.Delay(interval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over every bucket with rules, within the time budget; returns false when it stopped early.</summary>
    public async Task<bool> RunPassAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        foreach (var bucket in stores.Catalog.Snapshot.Buckets.Values)
        {
            if (bucket.Lifecycle.Count == 0)
            {
                _cursors.Remove(bucket.Id);
                continue;
            }
            try
            {
                if (!await RunBucketAsync(bucket, started, cancellationToken))
                {
                    return false;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LifecycleLog.PassFailed(logger, ex, bucket.Name);
            }
        }
        return true;
    }

    private bool OutOfTime(long started) => time.GetElapsedTime(started) >= budget;

    private async Task<bool> RunBucketAsync(BucketRecord bucket, long started, CancellationToken cancellationToken)
    {
        var store = stores.Get(bucket);
        var cursor = _cursors.GetValueOrDefault(bucket.Id) ?? new LifecycleCursor([], -1, null, 0, false, null, null);
        // Most buckets carry only the default abort rule: their versions are not read at all.
        if (!bucket.Lifecycle.Any(r => r.Enabled && (r.ExpirationDays is not null || r.ExpirationDate is not null || r.ExpiredObjectDeleteMarker || r.NoncurrentDays is not null)))
        {
            cursor = cursor with { VersionsDone = true };
        }
        int current = 0, noncurrent = 0, markers = 0, uploads = 0;
        while (!cursor.VersionsDone)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = time.GetUtcNow();
            var evaluator = Evaluator(bucket);
            var page = store.Index.ListVersions(cursor.Key, cursor.Seq >= 0 ? cursor.Seq : null, false, null, PageSize);
            var work = new List<Task<bool>>();
            var kinds = new List<int>();
            // A version stops being current when the next newer one is made; rows come newest first per key,
            // and the cursor carries the last row of the previous page across the page boundary.
            var newerKey = cursor.LastKey;
            var newerModified = DateTimeOffset.FromUnixTimeMilliseconds(cursor.LastModifiedMs);
            foreach (var row in page)
            {
                var becameNoncurrent = row.Key == newerKey ? newerModified : (DateTimeOffset?)null;
                newerKey = row.Key;
                newerModified = row.Modified;
                if (row.IsLatest && !row.DeleteMarker && evaluator.CurrentExpiry(row) is { } due && due.At <= now)
                {
                    work.Add(store.Index.ExpireCurrentAsync(row.Key, row.Seq, bucket.Versioning,
                        v => Evaluator(bucket).CurrentExpiry(v) is { } d && d.At <= time.GetUtcNow()));
                    kinds.Add(0);
                }
                else if (row.IsLatest && row.DeleteMarker && evaluator.RemovesExpiredDeleteMarker(row.Key))
                {
                    work.Add(store.Index.RemoveLoneDeleteMarkerAsync(row.Key, row.Seq,
                        v => Evaluator(bucket).RemovesExpiredDeleteMarker(v.Key)));
                    kinds.Add(2);
                }
                else if (!row.IsLatest && becameNoncurrent is { } since && evaluator.NoncurrentExpiry(row, since) is { } at && at <= now)
                {
                    work.Add(store.Index.ExpireNoncurrentAsync(row.Key, row.Seq,
                        (v, s) => Evaluator(bucket).NoncurrentExpiry(v, s) is { } d && d <= time.GetUtcNow()));
                    kinds.Add(1);
                }
            }
            var done = await Task.WhenAll(work);
            for (var i = 0; i < done.Length; i++)
            {
                if (done[i])
                {
                    _ = kinds[i] switch { 0 => current++, 1 => noncurrent++, _ => markers++ };
                }
            }
            cursor = page.Count < PageSize
                ? cursor with { VersionsDone = true }
                : cursor with { Key = Encoding.UTF8.GetBytes(page[^1].Key), Seq = page[^1].Seq, LastKey = page[^1].Key, LastModifiedMs = page[^1].ModifiedMs };
            if (OutOfTime(started) && page.Count == PageSize)
            {
                return Pause(bucket, cursor, current, noncurrent, markers, uploads);
            }
        }
        while (bucket.Lifecycle.Any(r => r.Enabled && r.AbortDays is not null))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = time.GetUtcNow();
            var evaluator = Evaluator(bucket);
            var page = store.Index.ListUploads(Encoding.UTF8.GetBytes(cursor.UploadKey ?? ""), cursor.UploadId, null, PageSize);
            var work = new List<Task<bool>>();
            foreach (var upload in page)
            {
                if (evaluator.AbortAt(upload) is { } at && at <= now)
                {
                    work.Add(store.Index.AbortUploadAsync(upload.UploadId));
                }
            }
            uploads += (await Task.WhenAll(work)).Count(b => b);
            if (page.Count < PageSize)
            {
                break;
            }
            cursor = cursor with { UploadKey = page[^1].Key, UploadId = page[^1].UploadId };
            if (OutOfTime(started))
            {
                return Pause(bucket, cursor, current, noncurrent, markers, uploads);
            }
        }
        _cursors.Remove(bucket.Id);
        if (current + noncurrent + markers + uploads > 0)
        {
            LifecycleLog.Pass(logger, bucket.Name, current, noncurrent, markers, uploads, "");
        }
        return true;
    }

    private bool Pause(BucketRecord bucket, LifecycleCursor cursor, int current, int noncurrent, int markers, int uploads)
    {
        _cursors[bucket.Id] = cursor;
        LifecycleLog.Pass(logger, bucket.Name, current, noncurrent, markers, uploads, " (time budget spent, resuming next pass)");
        return false;
    }

    /// <summary>The rules of the bucket as committed now; none when it was deleted or re-created meanwhile.</summary>
    private LifecycleEvaluator Evaluator(BucketRecord bucket) =>
        stores.Catalog.Snapshot.Buckets.GetValueOrDefault(bucket.Name) is { } now && now.Id == bucket.Id
            ? new LifecycleEvaluator(now.Lifecycle, clock, tagsOf)
            : new LifecycleEvaluator([], clock, tagsOf);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
