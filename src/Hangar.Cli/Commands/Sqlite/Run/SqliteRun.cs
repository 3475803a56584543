using System.ComponentModel;
using System.Diagnostics;
using Hangar.Client;
using Hangar.Core.Errors;

namespace Hangar.Cli.Commands.Sqlite.Run;

/// <summary>
/// `hangar run -a APP --sqlite NAME -- CMD`: restores the database if its file is missing, then runs CMD under
/// `litestream replicate -exec`, so the database is replicated exactly while the app runs (Fly's container pattern).
/// The config goes to a private temporary directory and the key only into Litestream's environment.
/// </summary>
internal static class SqliteRun
{
    public static async Task<int> RunAsync(HangarClient client, string app, string name, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> secrets, CancellationToken cancellationToken)
    {
        var plan = await client.SqliteExecPlanAsync(name, app, cancellationToken);
        var dir = Directory.CreateTempSubdirectory("hangar-sqlite-run-").FullName;
        try
        {
            var config = Path.Combine(dir, "litestream.yml");
            await File.WriteAllTextAsync(config, plan.ConfigYaml, cancellationToken);
            var environment = new Dictionary<string, string>(secrets) { [plan.AccessKeyVariable] = plan.AccessKeyId, [plan.SecretKeyVariable] = plan.SecretAccessKey };

            // -if-db-not-exists: an existing file is the newest state; -if-replica-exists: a first run has no replica yet.
            var restore = await RunLitestreamAsync(plan.Litestream, ["restore", "-no-expand-env", "-config", config, "-if-db-not-exists", "-if-replica-exists", plan.Path], environment, CancellationToken.None);
            if (restore != 0)
            {
                throw HangarException.Precondition($"litestream restore of sqlite '{name}' to {plan.Path} failed (exit {restore}); see its output above");
            }

            return await RunLitestreamAsync(plan.Litestream, ["replicate", "-no-expand-env", "-config", config, "-exec", string.Join(' ', argv.Select(Quote))], environment, CancellationToken.None);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Litestream splits -exec with shell-word rules: each argument single-quoted ('\'' for a quote inside).</summary>
    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static async Task<int> RunLitestreamAsync(string binary, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(binary) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw HangarException.Invalid($"could not start {binary}");
        }
        catch (Win32Exception ex)
        {
            throw HangarException.Precondition($"could not run {binary}: {ex.Message}");
        }

        using (process)
        {
            // Ctrl-C reaches Litestream through the terminal and it passes it on to the command.
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode;
        }
    }
}
