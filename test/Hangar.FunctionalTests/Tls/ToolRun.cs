using System.Diagnostics;
using Hangar.FunctionalTests.Infrastructure;

namespace Hangar.FunctionalTests.Tls;

/// <summary>Runs a real client program (psql, python3, node, aws, curl) with a bounded time and captures its output.</summary>
internal static class ToolRun
{
    public static async Task<CliResult> RunAsync(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} ran over 60 s");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A CA the servers know nothing of, written to a file: what a client verifying against the wrong root holds.</summary>
    public static string WrongCaFile(string directory)
    {
        using var wrong = Hangar.Core.Tls.CertificateAuthority.Create("wrong", TimeProvider.System);
        var path = Path.Combine(directory, "wrong-ca.crt");
        File.WriteAllText(path, wrong.CertificatePem);
        return path;
    }

    /// <summary>node-postgres, installed by scripts/install-deps.sh --test into .build/node-pg (npm, outside the repo's sources).</summary>
    public static string NodePgModules => Path.Combine(HangarDaemon.RepoRoot(), ".build", "node-pg", "node_modules");
}
