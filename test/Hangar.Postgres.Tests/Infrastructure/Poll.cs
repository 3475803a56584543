using System.Diagnostics;

namespace Hangar.Postgres.Tests.Infrastructure;

/// <summary>Waits for a state by polling it with a deadline; the failure names what was awaited and the last state seen.</summary>
internal static class Poll
{
    public static async Task<TimeSpan> UntilAsync(string what, TimeSpan timeout, Func<Task<(bool Done, string State)>> probe)
    {
        var stopwatch = Stopwatch.StartNew();
        var last = "(never probed)";
        while (stopwatch.Elapsed < timeout)
        {
            try
            {
                var (done, state) = await probe();
                last = state;
                if (done)
                {
                    return stopwatch.Elapsed;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                last = $"{e.GetType().Name}: {e.Message}";
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"timed out after {timeout.TotalSeconds:0}s waiting for {what}; last state: {last}");
    }
}
