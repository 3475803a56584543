using System.Diagnostics;
using Hangar.Daemon.Postgres.Backups;
using Xunit;

namespace Hangar.Daemon.Tests.Postgres.Backups;

/// <summary>
/// Real processes named pgbackrest (python under `exec -a`): an orphan (reparented away from the test, as a killed
/// daemon's is) with a matching --config is stopped; the same command that is the test's own child is not, nor an
/// orphan running archive-push or with another config.
/// </summary>
public sealed class PgBackRestLeftoversTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hangar-leftovers-").FullName;

    [Fact]
    public async Task An_orphaned_backup_with_the_config_is_stopped_and_nothing_else()
    {
        var config = Path.Combine(_dir, "pgbackrest.conf");
        var other = Path.Combine(_dir, "other.conf");
        var orphan = Orphan(config, "backup");
        var archive = Orphan(config, "archive-push:async");
        var foreign = Orphan(other, "backup");
        using var own = Start(config, "restore");
        try
        {
            var stopped = await PgBackRestLeftovers.StopAsync(c => c == config, TimeProvider.System, CancellationToken.None);

            Assert.Single(stopped);
            Assert.EndsWith(" backup", stopped[0], StringComparison.Ordinal);
            Assert.DoesNotContain(config, stopped[0], StringComparison.Ordinal);
            Assert.False(Alive(orphan));
            Assert.True(Alive(archive));
            Assert.True(Alive(foreign));
            Assert.False(own.HasExited);
        }
        finally
        {
            foreach (var pid in new[] { orphan, archive, foreign })
            {
                Kill(pid);
            }

            own.Kill();
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Process Start(string config, string command)
    {
        var start = new ProcessStartInfo("/bin/bash") { UseShellExecute = false };
        foreach (var arg in (string[])["-c", $"exec -a /usr/bin/pgbackrest /usr/bin/python3 -c 'import time; time.sleep(120)' --config={config} --stanza=db {command}"])
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>Started by a shell that exits at once, so its parent becomes init (or the nearest subreaper), as a killed daemon's children do.</summary>
    private int Orphan(string config, string command)
    {
        var pidFile = Path.Combine(_dir, command.Replace(':', '-') + Path.GetFileNameWithoutExtension(config) + ".pid");
        using var shell = Process.Start("/bin/bash", ["-c", $"(exec -a /usr/bin/pgbackrest /usr/bin/python3 -c 'import time; time.sleep(120)' --config={config} --stanza=db {command}) & echo $! > {pidFile}"])!;
        shell.WaitForExit();
        var pid = int.Parse(File.ReadAllText(pidFile).Trim());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists($"/proc/{pid}/cmdline") || !File.ReadAllText($"/proc/{pid}/cmdline").StartsWith("/usr/bin/pgbackrest", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the orphan did not start");
            Thread.Sleep(20);
        }

        return pid;
    }

    private static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static void Kill(int pid)
    {
        try
        {
            Process.GetProcessById(pid).Kill();
        }
        catch (ArgumentException)
        {
            // Gone already.
        }
    }
}
