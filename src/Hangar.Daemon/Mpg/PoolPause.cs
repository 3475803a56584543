using Hangar.Core.Resources;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Postgres;
using Hangar.Daemon.Security;
using Hangar.State;
using Hangar.Supervision;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Mpg;

/// <summary>
/// PAUSE ... RECONNECT, RESUME of a cluster's pool around a planned switchover (`mpg failover`, `postgres failover`,
/// a rolling restart, a config update that restarts): PgBouncer waits for every running transaction to end, then
/// queues new queries instead of sending them; once the cluster port reaches the new leader, RECONNECT closes the
/// server connections to the old one and RESUME lets the queue go to the new. Clients see a pause, not an error.
/// A pool that does not answer or cannot pause in time (a transaction left open) is resumed and the switchover runs
/// unpaused: a refused switchover would be worse than the errors its open transactions get.
/// </summary>
internal sealed partial class PoolPause(RecordStore store, SecretBox box, DaemonOptions options, PgBouncerConsole console, Supervisor supervisor, ILogger<PoolPause> logger)
    : IClusterClientPause
{
    public static readonly TimeSpan PauseLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(5);

    public async Task<IAsyncDisposable> PauseAsync(string cluster, CancellationToken cancellationToken)
    {
        var mpg = (await store.GetAsync<MpgRecord>(MpgKeys.Cluster(cluster), cancellationToken))?.Value;
        if (mpg is not { Phase: MpgPhase.Running, PoolPort: { } port } || supervisor.Status(MpgKeys.PoolProcess(cluster)) is not { Ready: true })
        {
            return Released.Instance;
        }

        var session = console.For(options.AdvertiseAddress, port, box.Decrypt(MpgKeys.Owner(cluster), MpgRuntime.AdminSecret, mpg.AdminPasswordCiphertext));
        try
        {
            await session.RunAsync("PAUSE", PauseLimit, cancellationToken);
            Log.Paused(logger, cluster);
            return new Held(cluster, session, logger);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.PauseFailed(logger, cluster, ex.Message);
            await ResumeAsync(cluster, session, logger);
            return Released.Instance;
        }
    }

    /// <summary>RECONNECT (server connections to the old leader go) and RESUME in one console session; RESUME alone when that fails.</summary>
    private static async Task ResumeAsync(string cluster, PgBouncerConsole.Session session, ILogger logger)
    {
        try
        {
            await session.RunAsync(["RECONNECT", "RESUME"], CommandLimit, CancellationToken.None);
            return;
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            Log.ResumeFailed(logger, cluster, "RECONNECT, RESUME", ex.Message);
        }

        try
        {
            await session.RunAsync("RESUME", CommandLimit, CancellationToken.None);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // RESUME of a pool that is not paused fails ("pooler is not paused").
            Log.ResumeFailed(logger, cluster, "RESUME", ex.Message);
        }
    }

    private sealed class Held(string cluster, PgBouncerConsole.Session session, ILogger logger) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await ResumeAsync(cluster, session, logger);
            Log.Resumed(logger, cluster);
        }
    }

    private sealed class Released : IAsyncDisposable
    {
        public static readonly Released Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(6310, LogLevel.Information, "mpg {Name}: pool paused for a switchover")]
        public static partial void Paused(ILogger logger, string name);

        [LoggerMessage(6311, LogLevel.Information, "mpg {Name}: pool resumed on the new leader")]
        public static partial void Resumed(ILogger logger, string name);

        [LoggerMessage(6312, LogLevel.Warning, "mpg {Name}: pool could not pause ({Reason}); the switchover runs unpaused")]
        public static partial void PauseFailed(ILogger logger, string name, string reason);

        [LoggerMessage(6313, LogLevel.Warning, "mpg {Name}: {Command} on the pool failed: {Reason}")]
        public static partial void ResumeFailed(ILogger logger, string name, string command, string reason);
    }
}
