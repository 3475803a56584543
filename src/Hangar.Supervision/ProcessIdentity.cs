using System.Globalization;
using Hangar.Core.Unix;

namespace Hangar.Supervision;

/// <summary>
/// A pid plus the kernel's start time of that pid: together they name one process for its whole life,
/// so a pid file left by a killed daemon can never make us adopt (or kill) an unrelated process that reused the pid.
/// </summary>
public readonly record struct ProcessIdentity(int Pid, long StartTime)
{
    public static ProcessIdentity? Read(int pid)
    {
        var fields = StatFields(pid);

        // fields[0] is field 3 (state); starttime is field 22. A zombie has exited already.
        if (fields is null || fields.Length < 20 || fields[0] == "Z" || fields[0] == "X")
        {
            return null;
        }

        return new ProcessIdentity(pid, long.Parse(fields[19], CultureInfo.InvariantCulture));
    }

    /// <summary>The fields of /proc/PID/stat from field 3 (state) on: [0] state, [1] ppid, [19] starttime.</summary>
    internal static string[]? StatFields(int pid) => ProcStat.Fields(pid);

    public bool IsAlive() => Read(Pid) == this;

    public string? CommandLine()
    {
        var raw = TryRead($"/proc/{Pid}/cmdline");
        return raw?.Replace('\0', ' ').TrimEnd();
    }

    public string Serialize() => string.Create(CultureInfo.InvariantCulture, $"{Pid} {StartTime}");

    public static ProcessIdentity? Parse(string text)
    {
        var parts = text.Trim().Split(' ');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? new ProcessIdentity(pid, start)
            : null;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
