using System.Globalization;

namespace Hangar.Postgres.Nodes;

/// <summary>What a node's data directory says about its server process. Must run on the node's own host.</summary>
public static class Postmaster
{
    /// <summary>The pid in PGDATA/postmaster.pid if that process is alive and is a postgres on this data directory.</summary>
    public static int? RunningPid(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        string? first;
        try
        {
            first = File.ReadLines(pidFile).FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }

        if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        try
        {
            // A stale file may name a reused pid; only a process started on this data directory counts.
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Contains(dataDirectory, StringComparison.Ordinal) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
