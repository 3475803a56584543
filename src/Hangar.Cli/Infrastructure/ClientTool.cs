using System.ComponentModel;
using System.Diagnostics;
using Hangar.Core.Errors;

namespace Hangar.Cli.Infrastructure;

/// <summary>psql, pg_dump, redis-cli: a client program the CLI starts, where a missing one is a line naming the package to install.</summary>
internal static class ClientTool
{
    public static Process Start(ProcessStartInfo start, string package)
    {
        try
        {
            return Process.Start(start) ?? throw HangarException.Precondition($"could not start {start.FileName}");
        }
        catch (Win32Exception ex)
        {
            throw HangarException.Precondition($"could not run {start.FileName} ({ex.Message}): install the {package} package");
        }
    }

    /// <summary>Runs an interactive tool on the user's terminal to its end and gives its exit code as the command's.</summary>
    public static async Task<int> RunAsync(ProcessStartInfo start, string package)
    {
        using var process = Start(start, package);

        // Not the command's token: Ctrl-C goes to the tool (psql cancels its query), which decides whether to exit.
        await process.WaitForExitAsync(CancellationToken.None);
        return process.ExitCode;
    }
}
