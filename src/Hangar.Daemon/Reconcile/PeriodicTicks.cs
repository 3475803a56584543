namespace Hangar.Daemon.Reconcile;

/// <summary>The loop condition of the daemon's periodic watchers.</summary>
internal static class PeriodicTicks
{
    /// <summary>Waits for the timer's next tick; false once <paramref name="cancellationToken"/> stops the loop.</summary>
    public static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
