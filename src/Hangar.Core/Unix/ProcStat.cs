namespace Hangar.Core.Unix;

/// <summary>/proc/PID/stat, read once for the supervisor, the copiers' orphan check and the proxy's socket table.</summary>
public static class ProcStat
{
    /// <summary>
    /// The fields from field 3 (state) on — [0] state, [1] ppid, [19] starttime — or null when the process is gone
    /// or its stat cannot be read.
    /// </summary>
    public static string[]? Fields(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) may hold spaces and parentheses: the fields after it start past the last ')'.
        var close = stat.LastIndexOf(')');
        return close < 0 || close + 2 > stat.Length ? null : stat[(close + 2)..].Split(' ');
    }
}
