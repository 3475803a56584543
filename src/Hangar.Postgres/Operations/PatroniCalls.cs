using Hangar.Core.Errors;

namespace Hangar.Postgres.Operations;

internal static class PatroniCalls
{
    /// <summary>A Patroni that does not answer is the cluster being unavailable, not an internal error.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"Patroni did not answer: {ex.Message}");
        }
    }
}
