using System.Diagnostics;
using Xunit;

namespace Hangar.Supervision.Tests;

/// <summary>Real processes: a shell whose grandchild started its own session, as Patroni's postmaster does.</summary>
public sealed class ProcessTreeTests
{
    [Fact]
    public async Task Descendants_include_a_grandchild_in_its_own_session_and_a_stopped_one_shows_as_stopped()
    {
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "setsid sleep 60 & sleep 60 & wait"]))!;
        try
        {
            var root = ProcessIdentity.Read(shell.Id)!.Value;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            IReadOnlyList<ProcessIdentity> tree;
            while ((tree = ProcessTree.Descendants(root)).Count(p => p.CommandLine() == "sleep 60") < 2)
            {
                Assert.True(DateTime.UtcNow < deadline, $"two sleeps under the shell, saw {string.Join(", ", tree.Select(p => p.CommandLine()))}");
                await Task.Delay(50);
            }

            var sleeper = tree.First(p => p.CommandLine() == "sleep 60");
            Assert.False(ProcessTree.IsStopped(sleeper));
            Assert.True(Signals.Stop(sleeper));
            await WaitAsync(() => ProcessTree.IsStopped(sleeper));

            // SIGKILL ends a stopped process too.
            foreach (var process in tree)
            {
                Assert.True(Signals.Kill(process));
            }

            await WaitAsync(() => tree.All(p => !p.IsAlive()));
        }
        finally
        {
            shell.Kill(entireProcessTree: true);
        }
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in 10 s");
            await Task.Delay(20);
        }
    }
}
