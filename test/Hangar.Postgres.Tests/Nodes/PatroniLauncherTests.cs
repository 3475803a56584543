using System.Diagnostics;
using Hangar.Postgres.Nodes;
using Hangar.Postgres.Tests.Infrastructure;

namespace Hangar.Postgres.Tests.Nodes;

/// <summary>
/// hangar_patroni.py against the installed Patroni and a real etcd: hangar_patroni_test.py drives Patroni's own
/// Etcd3 driver through a leader that wakes up after losing its key, with and without the patch.
/// </summary>
public sealed class PatroniLauncherTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hangar-launcher-").FullName;

    [Fact]
    public async Task Patched_leader_key_update_never_overwrites_a_key_it_lost_and_reports_the_loss()
    {
        await using var etcd = await EtcdServer.StartAsync(Path.Combine(_directory, "etcd"), CancellationToken.None);
        var launcher = WriteLauncher();

        var patched = await RunAsync([Script, Path.GetDirectoryName(launcher)!, etcd.Endpoint, "patched"]);
        Assert.True(patched.ExitCode == 0, patched.Output);
        Assert.Equal(4, patched.Output.Split('\n').Count(l => l.EndsWith(": ok", StringComparison.Ordinal)));

        // The packaged Patroni as it is: the woken leader writes its name back over the new leader's key.
        var unpatched = await RunAsync([Script, Path.GetDirectoryName(launcher)!, etcd.Endpoint, "unpatched"]);
        Assert.Contains("woken leader: FAILED update_leader returned True, key names a", unpatched.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Launcher_refuses_to_start_a_Patroni_it_does_not_know()
    {
        var launcher = WriteLauncher();
        var fake = Directory.CreateDirectory(Path.Combine(_directory, "fake", "patroni")).FullName;
        await File.WriteAllTextAsync(Path.Combine(fake, "__init__.py"), string.Empty);
        await File.WriteAllTextAsync(Path.Combine(fake, "version.py"), "__version__ = '9.9.9'\n");

        var result = await RunAsync([launcher, "/nonexistent/patroni.json"], Path.GetDirectoryName(fake));
        Assert.Equal(PatroniLauncher.UnsupportedPatroniExitCode, result.ExitCode);
        Assert.Contains("refusing to start Patroni unpatched: Patroni 9.9.9 is not one Hangar patches (known: 3.0.2)", result.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Nodes", "hangar_patroni_test.py");

    private string WriteLauncher()
    {
        var path = Path.Combine(_directory, "hangar_patroni.py");
        File.WriteAllText(path, PatroniLauncher.Script);
        return path;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, string? pythonPath = null)
    {
        var start = new ProcessStartInfo(PatroniLauncher.Interpreter, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (pythonPath is not null)
        {
            start.Environment["PYTHONPATH"] = pythonPath;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
