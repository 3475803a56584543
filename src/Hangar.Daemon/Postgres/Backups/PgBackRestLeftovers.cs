using System.Globalization;
using Hangar.Core.Unix;
using Hangar.Supervision;

namespace Hangar.Daemon.Postgres.Backups;

/// <summary>
/// pgBackRest commands a killed daemon left running. A `kill -9` of the daemon does not reach the pgbackrest it ran
/// (setpriv execs it, so it is the daemon's child and lives on as an orphan): an orphaned backup holds the stanza's
/// backup lock against every later one and reports to nobody, an orphaned restore goes on writing into a staging
/// directory the next daemon starts again from scratch. They are stopped (SIGTERM, which pgBackRest handles by
/// releasing its locks; SIGKILL after <see cref="Grace"/>) before the next daemon redoes their work. WAL commands
/// (archive-push/archive-get, run by PostgreSQL) are never touched, nor anything this daemon started.
/// </summary>
internal static class PgBackRestLeftovers
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
    private static readonly string[] Commands = ["backup", "restore", "stanza-create", "stanza-upgrade", "expire", "info", "check"];

    /// <summary>Stops every orphaned pgbackrest whose --config matches <paramref name="config"/>; returns their command lines.</summary>
    public static async Task<IReadOnlyList<string>> StopAsync(Func<string, bool> config, TimeProvider time, CancellationToken cancellationToken)
    {
        var found = new List<(ProcessIdentity Process, string CommandLine)>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || OursOrGone(pid))
            {
                continue;
            }

            var argv = Arguments(pid);
            if (argv is not [var executable, .., var command]
                || Path.GetFileName(executable) != "pgbackrest"
                || !Commands.Contains(command.Split(':')[0])
                || argv.FirstOrDefault(a => a.StartsWith("--config=", StringComparison.Ordinal)) is not { } given
                || !config(given["--config=".Length..]))
            {
                continue;
            }

            if (ProcessIdentity.Read(pid) is { } identity)
            {
                found.Add((identity, string.Join(' ', argv.Where(a => !a.StartsWith("--config=", StringComparison.Ordinal)))));
            }
        }

        foreach (var (process, _) in found)
        {
            Signals.Terminate(process);
        }

        var deadline = time.GetUtcNow() + Grace;
        while (found.Any(p => p.Process.IsAlive()) && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }

        foreach (var (process, _) in found)
        {
            Signals.Kill(process);
        }

        return [.. found.Select(p => p.CommandLine)];
    }

    /// <summary>True when this daemon is among the process's ancestors (its own backups and their workers), or it is gone.</summary>
    private static bool OursOrGone(int pid)
    {
        var self = Environment.ProcessId;
        for (var (current, depth) = (pid, 0); depth < 8; depth++)
        {
            if (current == self)
            {
                return true;
            }

            if (ProcStat.Fields(current) is not [_, var parent, ..] || !int.TryParse(parent, NumberStyles.None, CultureInfo.InvariantCulture, out current))
            {
                return depth == 0;
            }

            if (current <= 1)
            {
                return false;
            }
        }

        return false;
    }

    private static string[]? Arguments(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
