using System.Text;

namespace Hangar.State.Tests;

/// <summary>
/// The behaviour every <see cref="IKeyValueStore"/> must share; run against memory and against a real etcd.
/// Each test works under its own random root, so tests on one shared etcd cannot see each other's keys.
/// </summary>
public abstract class StoreContractTests : IDisposable
{
    private readonly string _root = $"contract/{Guid.NewGuid():N}/";
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    protected abstract IKeyValueStore Store { get; }

    protected CancellationToken Ct => _timeout.Token;

    /// <summary>Discards history before <paramref name="revision"/>, the way etcd's compaction does.</summary>
    protected abstract Task CompactAsync(long revision);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timeout.Dispose();
        }
    }

    [Fact]
    public async Task Get_MissingKey_ReturnsNull()
    {
        Assert.Null(await Store.GetAsync(K("missing"), Ct));
    }

    [Fact]
    public async Task Put_ThenGet_ReturnsValueWithRevisions()
    {
        var created = await Commit(new PutOp(K("x"), B("one")));
        var first = await Store.GetAsync(K("x"), Ct);
        Assert.NotNull(first);
        Assert.Equal(K("x"), first.Key);
        Assert.Equal("one", S(first.Value));
        Assert.Equal(created, first.ModRevision);
        Assert.Equal(created, first.CreateRevision);

        var updated = await Commit(new PutOp(K("x"), B("two")));
        var second = await Store.GetAsync(K("x"), Ct);
        Assert.NotNull(second);
        Assert.True(updated > created);
        Assert.Equal("two", S(second.Value));
        Assert.Equal(updated, second.ModRevision);
        Assert.Equal(created, second.CreateRevision);
    }

    [Fact]
    public async Task List_ReturnsKeysUnderPrefixOnly_OrderedByKey()
    {
        foreach (var key in new[] { "a/2", "a0", "a/10", "a", "b/1", "a/sub/x", "a/1", "a/" })
        {
            await Store.PutAsync(K(key), B(key), Ct);
        }

        var listed = await Store.ListAsync(K("a/"), Ct);

        // "a0" sorts right after "a/" ("0" is "/" + 1) and is exactly where the etcd range ends: it must not leak in.
        Assert.Equal(["a/", "a/1", "a/10", "a/2", "a/sub/x"], listed.Select(e => e.Key[K("").Length..]));
        Assert.All(listed, e => Assert.Equal(e.Key[K("").Length..], S(e.Value)));
    }

    [Fact]
    public async Task List_OrdersByUtf8Bytes_LikeEtcd()
    {
        // UTF-16 ordinal order would put the emoji (a surrogate pair, 0xD83D) before U+E000 and U+FFFD;
        // etcd compares UTF-8 bytes, where it comes last (0xF0 > 0xEF > 0xEE).
        string[] inUtf8Order = ["u/z", "u/é", "u/\uE000", "u/\uFFFD", "u/😀"];
        foreach (var key in inUtf8Order.Reverse())
        {
            await Store.PutAsync(K(key), B(key), Ct);
        }

        var listed = await Store.ListAsync(K("u/"), Ct);
        Assert.Equal(inUtf8Order, listed.Select(e => e.Key[K("").Length..]));
    }

    [Fact]
    public async Task List_UnknownPrefix_ReturnsEmpty()
    {
        await Store.PutAsync(K("present"), B("v"), Ct);
        Assert.Empty(await Store.ListAsync(K("absent/"), Ct));
    }

    [Fact]
    public async Task List_PrefixThatIsAWholeKey_IncludesLongerKeys()
    {
        await Store.PutAsync(K("job"), B("1"), Ct);
        await Store.PutAsync(K("jobs"), B("2"), Ct);
        await Store.PutAsync(K("jo"), B("3"), Ct);

        var listed = await Store.ListAsync(K("job"), Ct);
        Assert.Equal([K("job"), K("jobs")], listed.Select(e => e.Key));
    }

    [Fact]
    public async Task Create_SucceedsOnlyWhileKeyIsAbsent()
    {
        Assert.True(await Store.CreateAsync(K("c"), B("first"), Ct));
        Assert.False(await Store.CreateAsync(K("c"), B("second"), Ct));
        Assert.Equal("first", S((await Store.GetAsync(K("c"), Ct))!.Value));

        await Store.DeleteAsync(K("c"), Ct);
        Assert.True(await Store.CreateAsync(K("c"), B("third"), Ct));
        Assert.Equal("third", S((await Store.GetAsync(K("c"), Ct))!.Value));
    }

    [Fact]
    public async Task Update_WithStaleRevision_FailsAndKeepsValue()
    {
        await Store.PutAsync(K("u"), B("v1"), Ct);
        var v1 = (await Store.GetAsync(K("u"), Ct))!;
        Assert.True(await Store.UpdateAsync(K("u"), B("v2"), v1.ModRevision, Ct));

        Assert.False(await Store.UpdateAsync(K("u"), B("v3"), v1.ModRevision, Ct));

        var current = (await Store.GetAsync(K("u"), Ct))!;
        Assert.Equal("v2", S(current.Value));
        Assert.True(await Store.UpdateAsync(K("u"), B("v3"), current.ModRevision, Ct));
    }

    [Fact]
    public async Task Update_OfAbsentKey_Fails()
    {
        var revision = await Store.RevisionAsync(Ct);
        Assert.False(await Store.UpdateAsync(K("never"), B("v"), revision, Ct));
        Assert.Null(await Store.GetAsync(K("never"), Ct));
    }

    [Fact]
    public async Task Txn_WithOneFailedCondition_AppliesNothing()
    {
        var rx = await Commit(new PutOp(K("x"), B("x1")));
        var ry = await Commit(new PutOp(K("y"), B("y1")));
        await Commit(new PutOp(K("y"), B("y2")));

        var failed = await Store.TryCommitAsync(
            new StoreTxn(
                [new StoreCondition(K("x"), rx), new StoreCondition(K("y"), ry)],
                [new PutOp(K("x"), B("x2")), new PutOp(K("z"), B("z1")), new DeleteOp(K("y"))]),
            Ct);

        Assert.Null(failed);
        Assert.Equal("x1", S((await Store.GetAsync(K("x"), Ct))!.Value));
        Assert.Equal("y2", S((await Store.GetAsync(K("y"), Ct))!.Value));
        Assert.Null(await Store.GetAsync(K("z"), Ct));
    }

    [Fact]
    public async Task Txn_WhenConditionsHold_AppliesAllOpsAtOneRevision()
    {
        var rx = await Commit(new PutOp(K("x"), B("x1")));
        await Commit(new PutOp(K("y"), B("y1")));

        var revision = await Store.TryCommitAsync(
            new StoreTxn(
                [new StoreCondition(K("x"), rx), new StoreCondition(K("new"), 0)],
                [new PutOp(K("x"), B("x2")), new PutOp(K("new"), B("n1")), new DeleteOp(K("y"))]),
            Ct);

        Assert.NotNull(revision);
        Assert.Equal(revision, await Store.RevisionAsync(Ct));
        var listed = await Store.ListAsync(K(""), Ct);
        Assert.Equal([K("new"), K("x")], listed.Select(e => e.Key));
        Assert.All(listed, e => Assert.Equal(revision, e.ModRevision));
    }

    [Fact]
    public async Task Commit_ThatChangesNothing_DoesNotAdvanceRevision()
    {
        await Store.PutAsync(K("x"), B("v"), Ct);
        var before = await Store.RevisionAsync(Ct);

        var revision = await Store.TryCommitAsync(new StoreTxn([], [new DeleteOp(K("absent")), new DeletePrefixOp(K("none/"))]), Ct);

        Assert.Equal(before, revision);
    }

    [Fact]
    public async Task Txn_PuttingOneKeyTwice_IsRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.TryCommitAsync(
            new StoreTxn([], [new PutOp(K("d"), B("1")), new PutOp(K("d"), B("2"))]), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.TryCommitAsync(
            new StoreTxn([], [new PutOp(K("p/1"), B("1")), new DeletePrefixOp(K("p/"))]), Ct));
        Assert.Empty(await Store.ListAsync(K(""), Ct));
    }

    [Fact]
    public async Task EmptyKey_IsRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync("", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync("", B("v"), Ct));
    }

    [Fact]
    public async Task DeletePrefix_RemovesOnlyKeysUnderPrefix()
    {
        foreach (var key in new[] { "d/1", "d/2/x", "d/", "d0", "d", "e/1" })
        {
            await Store.PutAsync(K(key), B("v"), Ct);
        }

        await Store.DeletePrefixAsync(K("d/"), Ct);

        Assert.Equal([K("d"), K("d0"), K("e/1")], (await Store.ListAsync(K(""), Ct)).Select(e => e.Key));
    }

    [Fact]
    public async Task Values_KeepArbitraryBytes()
    {
        var everyByte = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var large = new byte[200_000];
        new Random(42).NextBytes(large);
        await Store.PutAsync(K("every"), everyByte, Ct);
        await Store.PutAsync(K("empty"), [], Ct);
        await Store.PutAsync(K("large"), large, Ct);
        await Store.PutAsync(K("spaces and ünïcödé/🔑"), B("k"), Ct);

        Assert.Equal(everyByte, (await Store.GetAsync(K("every"), Ct))!.Value);
        Assert.Empty((await Store.GetAsync(K("empty"), Ct))!.Value);
        Assert.Equal(large, (await Store.GetAsync(K("large"), Ct))!.Value);
        Assert.Equal("k", S((await Store.GetAsync(K("spaces and ünïcödé/🔑"), Ct))!.Value));
        Assert.Equal(everyByte, (await Store.ListAsync(K("every"), Ct)).Single().Value);
    }

    [Fact]
    public async Task Value_ChangedByCallerAfterPut_IsNotChangedInStore()
    {
        var value = B("original");
        await Store.PutAsync(K("v"), value, Ct);
        value[0] = (byte)'X';
        var read = (await Store.GetAsync(K("v"), Ct))!;
        read.Value[1] = (byte)'Y';

        Assert.Equal("original", S((await Store.GetAsync(K("v"), Ct))!.Value));
    }

    [Fact]
    public async Task Watch_SeesPutsAndDeletesAfterRevision_UnderPrefixOnly()
    {
        await Store.PutAsync(K("w/old"), B("before"), Ct);
        var start = await Store.RevisionAsync(Ct);

        var put = await Commit(new PutOp(K("w/a"), B("1")), new PutOp(K("w/b"), B("2")));
        await Store.PutAsync(K("w0"), B("sibling, not under w/"), Ct);
        var delete = await Commit(new DeleteOp(K("w/a")));
        var deletePrefix = await Commit(new DeletePrefixOp(K("w/")));

        var events = await CollectAsync(Store.WatchAsync(K("w/"), start, Ct), 5);

        Assert.Equal(
            [
                (WatchEventKind.Put, K("w/a"), "1", put),
                (WatchEventKind.Put, K("w/b"), "2", put),
                (WatchEventKind.Delete, K("w/a"), null, delete),
                (WatchEventKind.Delete, K("w/b"), null, deletePrefix),
                (WatchEventKind.Delete, K("w/old"), null, deletePrefix),
            ],
            events.Select(e => (e.Kind, e.Key, e.Value is null ? null : S(e.Value), e.ModRevision)));
    }

    [Fact]
    public async Task Watch_ResumesAfterGivenRevision_ThenFollowsLiveChanges()
    {
        var r1 = await Commit(new PutOp(K("r/1"), B("1")));
        var r2 = await Commit(new PutOp(K("r/2"), B("2")));
        var r3 = await Commit(new PutOp(K("r/3"), B("3")));

        await using var watch = Store.WatchAsync(K("r/"), r1, Ct).GetAsyncEnumerator(Ct);
        Assert.Equal((K("r/2"), r2), await NextAsync(watch));
        Assert.Equal((K("r/3"), r3), await NextAsync(watch));

        var r4 = await Commit(new PutOp(K("r/4"), B("4")));
        Assert.Equal((K("r/4"), r4), await NextAsync(watch));
    }

    [Fact]
    public async Task Watch_FromCompactedRevision_Throws()
    {
        var r1 = await Commit(new PutOp(K("c/1"), B("1")));
        await Commit(new PutOp(K("c/1"), B("2")));
        var r3 = await Commit(new PutOp(K("c/1"), B("3")));
        await CompactAsync(r3);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => CollectAsync(Store.WatchAsync(K("c/"), r1, Ct), 1));
        Assert.Contains("compacted", error.Message, StringComparison.Ordinal);

        // From the compaction revision on, history is still there.
        var events = await CollectAsync(Store.WatchAsync(K("c/"), r3 - 1, Ct), 1);
        Assert.Equal(r3, events.Single().ModRevision);
    }

    [Fact]
    public async Task Watch_StopsWhenCancelled()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var start = await Store.RevisionAsync(Ct);
        await Store.PutAsync(K("s/1"), B("1"), Ct);
        await using var watch = Store.WatchAsync(K("s/"), start, cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.True(await watch.MoveNextAsync());

        var next = watch.MoveNextAsync().AsTask();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    [Fact]
    public async Task ConcurrentCreates_OfOneKey_ExactlyOneWins()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Store.CreateAsync(K("lock"), B($"owner-{i}"), Ct))));

        Assert.Single(results, won => won);
        var winner = Array.IndexOf(results, true);
        Assert.Equal($"owner-{winner}", S((await Store.GetAsync(K("lock"), Ct))!.Value));
    }

    [Fact]
    public async Task ConcurrentUpdates_FromOneRevision_ExactlyOneWins()
    {
        var revision = await Commit(new PutOp(K("counter"), B("0")));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Store.UpdateAsync(K("counter"), B($"{i}"), revision, Ct))));

        Assert.Single(results, won => won);
        Assert.Equal($"{Array.IndexOf(results, true)}", S((await Store.GetAsync(K("counter"), Ct))!.Value));
    }

    [Fact]
    public async Task Health_ReportsHealthy()
    {
        var health = await Store.HealthAsync(Ct);
        Assert.True(health.Healthy, health.Error);
        Assert.Null(health.Error);
    }

    protected string K(string key) => _root + key;

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static string S(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private async Task<long> Commit(params StoreOp[] ops) =>
        await Store.TryCommitAsync(new StoreTxn([], ops), Ct) ?? throw new InvalidOperationException("An unconditional txn failed.");

    private static async Task<(string Key, long Revision)> NextAsync(IAsyncEnumerator<WatchEvent> watch)
    {
        var next = watch.MoveNextAsync().AsTask();
        var finished = await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(finished == next, "No watch event within 10 s.");
        Assert.True(await next, "The watch ended.");
        return (watch.Current.Key, watch.Current.ModRevision);
    }

    /// <summary>Reads <paramref name="count"/> events, failing after a deadline instead of hanging on a silent watch.</summary>
    private async Task<List<WatchEvent>> CollectAsync(IAsyncEnumerable<WatchEvent> watch, int count)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        var events = new List<WatchEvent>();
        try
        {
            await foreach (var watchEvent in watch.WithCancellation(deadline.Token))
            {
                events.Add(watchEvent);
                if (events.Count == count)
                {
                    return events;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !Ct.IsCancellationRequested)
        {
            Assert.Fail($"Saw {events.Count} of {count} watch events within 10 s: {string.Join(", ", events)}");
        }

        Assert.Fail("The watch ended.");
        return events;
    }
}
