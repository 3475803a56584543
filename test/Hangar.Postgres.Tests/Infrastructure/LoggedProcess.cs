using System.Diagnostics;

namespace Hangar.Postgres.Tests.Infrastructure;

/// <summary>
/// A child process with stdout and stderr appended to a log file by the shell (no pipes to drain, so the
/// child never blocks on a dead reader). Only processes started here are ever killed.
/// </summary>
internal static class LoggedProcess
{
    public static Process Start(string fileName, IEnumerable<string> arguments, string logFile, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // exec keeps the pid: the pid we hold is the program's own, not a shell's.
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$@\" >>\"$HANGAR_TEST_LOG\" 2>&1 </dev/null");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["HANGAR_TEST_LOG"] = logFile;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
    }

    public static void KillHard(Process? process)
    {
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
