using System.Diagnostics;
using Hangar.Core.Unix;
using Hangar.Supervision;

namespace Hangar.Daemon.Postgres;

/// <summary>Runs a short-lived tool (pg_basebackup, psql, chown, pgbackrest) to completion and returns its stdout; a non-zero exit throws with its stderr.</summary>
internal static class ExternalCommand
{
    public static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await ChildProcess.WaitOrKillAsync(process, cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed (exit {process.ExitCode}): {(await stderr).Trim()}");
        }

        return await stdout;
    }

    /// <summary>Runs <paramref name="file"/> as <paramref name="user"/> when the daemon is root (setpriv), as itself otherwise.</summary>
    public static Task<string> RunAsAsync(string user, string file, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null) =>
        Signals.IsRoot
            ? RunAsync("/usr/bin/setpriv", ["--reuid=" + user, "--regid=" + user, "--init-groups", "--", file, .. arguments], input, cancellationToken, environment)
            : RunAsync(file, arguments, input, cancellationToken, environment);
}
