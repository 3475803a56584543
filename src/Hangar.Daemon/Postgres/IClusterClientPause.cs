namespace Hangar.Daemon.Postgres;

/// <summary>
/// Holds a cluster's clients during a planned switchover (the mpg pool's PAUSE ... RESUME). Postgres knows only this
/// seam; the pool lives in Mpg/, which depends on Postgres and not the other way round.
/// </summary>
internal interface IClusterClientPause
{
    /// <summary>Pauses the clients of <paramref name="cluster"/> until the handle is disposed; a no-op handle when nothing pools them.</summary>
    Task<IAsyncDisposable> PauseAsync(string cluster, CancellationToken cancellationToken);
}
