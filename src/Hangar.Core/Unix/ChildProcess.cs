using System.ComponentModel;
using System.Diagnostics;

namespace Hangar.Core.Unix;

/// <summary>Short-lived tools the daemon runs (pg_basebackup, cp, psql): never left running behind a cancelled wait.</summary>
public static class ChildProcess
{
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Waits for <paramref name="process"/> (started by this process) to exit. When cancelled, kills it and every
    /// process it started, and waits until the runtime has reaped it before rethrowing: left running, a copier keeps
    /// writing into a directory the next attempt removes, and once the daemon is gone it is an orphan that only init
    /// can reap (after the next daemon kills it, it lingers as a zombie for as long as init takes).
    /// </summary>
    public static async Task WaitOrKillAsync(Process process, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
            {
                // It exited meanwhile.
            }

            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(ReapTimeout, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
    }

    /// <summary>True when <paramref name="pid"/> is gone or a zombie: it runs no more and holds no file open; reaping it is its parent's part.</summary>
    public static bool HasStopped(int pid) => ProcStat.Fields(pid) is not [var state, ..] || state is "Z" or "X";
}
