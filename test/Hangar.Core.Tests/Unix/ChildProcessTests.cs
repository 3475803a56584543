using System.Diagnostics;
using Hangar.Core.Unix;
using Xunit;

namespace Hangar.Core.Tests.Unix;

public sealed class ChildProcessTests
{
    [Fact]
    public async Task A_cancelled_wait_kills_the_child_and_what_it_started_and_leaves_no_zombie()
    {
        // A parent with a child of its own, as pg_basebackup forks its WAL streamer.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("sleep 60 & echo $!; exec sleep 61");
        using var process = Process.Start(start)!;
        var grandchild = int.Parse((await process.StandardOutput.ReadLineAsync())!);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ChildProcess.WaitOrKillAsync(process, cancel.Token));

        Assert.True(process.HasExited);
        Assert.False(Directory.Exists($"/proc/{process.Id}"), "the child is reaped, not left a zombie");
        await PollAsync(() => ChildProcess.HasStopped(grandchild));
    }

    [Fact]
    public async Task A_child_that_exits_by_itself_is_waited_for()
    {
        using var process = Process.Start("/bin/true")!;
        await ChildProcess.WaitOrKillAsync(process, CancellationToken.None);
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public void A_pid_that_does_not_exist_has_stopped_and_this_process_has_not()
    {
        Assert.False(ChildProcess.HasStopped(Environment.ProcessId));
        Assert.True(ChildProcess.HasStopped(int.MaxValue));
    }

    private static async Task PollAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }
}
