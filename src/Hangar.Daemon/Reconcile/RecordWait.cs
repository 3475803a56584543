using Hangar.Core.Errors;
using Hangar.State;

namespace Hangar.Daemon.Reconcile;

/// <summary>
/// How an API call waits for a reconciler: it has written desired state (which the reconciler's watch of its prefix
/// turns into a pass) and polls the record's phase. The only place services wait; they never call into a reconciler.
/// </summary>
internal sealed class RecordWait(RecordStore store, TimeProvider time)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan TeardownLimit = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Polls <paramref name="key"/> until <paramref name="done"/> holds for its record (null once deleted) and returns it;
    /// past <paramref name="limit"/> the caller is told the work goes on in the background.
    /// </summary>
    public async Task<T?> UntilAsync<T>(string key, Func<T?, bool> done, TimeSpan limit, Func<T?, string> stillBusy, CancellationToken cancellationToken)
        where T : class
    {
        var deadline = time.GetUtcNow() + limit;
        while (true)
        {
            var current = (await store.GetAsync<T>(key, cancellationToken))?.Value;
            if (done(current))
            {
                return current;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new HangarException(ErrorCodes.Unavailable, $"{stillBusy(current)} after {limit.TotalSeconds:0}s; it continues in the background (see `hangar logs`)");
            }

            await Task.Delay(Poll, time, cancellationToken);
        }
    }

    /// <summary>
    /// Waits for a create to leave <paramref name="pending"/>. A failed create is reported once: the record is marked
    /// for destruction (<paramref name="destroy"/>, desired state), the reconciler removes it, and the caller gets the
    /// record's error. The reconciler does the same for a failure nobody reported (its caller died).
    /// </summary>
    public async Task<T> CreatedAsync<T>(
        string key,
        Func<T, bool> pending,
        Func<T, string?> failure,
        Func<T, T> destroy,
        TimeSpan limit,
        Func<T?, string> stillBusy,
        Func<HangarException> gone,
        CancellationToken cancellationToken)
        where T : class
    {
        var done = await UntilAsync<T>(key, r => r is null || !pending(r), limit, stillBusy, cancellationToken) ?? throw gone();
        if (failure(done) is not { } error)
        {
            return done;
        }

        await store.MutateAsync<T>(key, r => failure(r) is null ? null : destroy(r), cancellationToken);
        try
        {
            // The name is free again when the error is reported, so a corrected retry is not refused as existing.
            await UntilAsync<T>(key, r => r is null, TeardownLimit, stillBusy, cancellationToken);
        }
        catch (HangarException ex) when (ex.Code == ErrorCodes.Unavailable)
        {
            // The teardown goes on; the error is still the answer.
        }

        throw HangarException.Precondition(error);
    }
}
