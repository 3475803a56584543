namespace Hangar.FunctionalTests.Infrastructure;

/// <summary>Waiting for a state by polling it with a deadline (never a fixed sleep).</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds}s waiting for {what}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds for what it returned, and returns that.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        T last = default!;
        try
        {
            await UntilAsync(async () => done(last = await probe()), timeout, what);
        }
        catch (TimeoutException ex)
        {
            // What was seen last says why it never got there, on one line: test.sh shows a failure's first lines only.
            var seen = last is System.Text.Json.JsonElement json ? json.GetRawText() : last?.ToString() ?? "nothing";
            throw new TimeoutException($"{ex.Message}; last seen: {string.Join(' ', seen.Split('\n', StringSplitOptions.TrimEntries))}", ex);
        }

        return last;
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);
}
