using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Hangar.Supervision.Tests;

/// <summary>Real child processes (sh, sleep) under a real supervisor.</summary>
public sealed class SupervisorTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("hangar-sup-").FullName;
    private Supervisor _supervisor = null!;

    public Task InitializeAsync()
    {
        _supervisor = New();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Starts_logs_to_its_file_and_restarts_after_a_kill()
    {
        var spec = Shell("looper", "echo started $$; exec sleep 600");
        await _supervisor.EnsureRunningAsync(spec, CancellationToken.None);
        var first = _supervisor.Status("looper")!;
        Assert.True(first.Ready);
        await WaitAsync(() => ReadLog(_supervisor.LogFileOf("looper")).Contains($"started {first.Pid}", StringComparison.Ordinal), "the log line");

        // The recorded pid is the program itself (sh exec'd sleep), and it leads its own session.
        Assert.Contains("sleep", File.ReadAllText($"/proc/{first.Pid}/cmdline"), StringComparison.Ordinal);
        Assert.Equal(first.Pid.ToString(), File.ReadAllText($"/proc/{first.Pid}/stat").Split(' ')[5]);

        Process.GetProcessById(first.Pid!.Value).Kill();
        await WaitAsync(() => _supervisor.Status("looper") is { Ready: true, Restarts: 1 } s && s.Pid != first.Pid, "the restart");
        Assert.Contains("exit", _supervisor.Status("looper")!.LastExit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_stops_in_reverse_start_order()
    {
        var stopped = Path.Combine(_root, "stopped.txt");
        await using var supervisor = New();
        foreach (var name in new[] { "first", "second", "third" })
        {
            // Each records its own stop on SIGTERM; the order of lines is the order of stops.
            await supervisor.EnsureRunningAsync(Shell(name, $"trap 'echo {name} >> {stopped}; exit 0' TERM; echo up; while :; do sleep 0.05; done"), CancellationToken.None);
            await WaitAsync(() => ReadLog(supervisor.LogFileOf(name)).Contains("up", StringComparison.Ordinal), name + " to start");
        }

        await supervisor.DisposeAsync();
        Assert.Equal(["third", "second", "first"], File.ReadAllLines(stopped));
    }

    [Fact]
    public async Task Ensure_running_twice_runs_one_process()
    {
        var spec = Shell("single", "exec sleep 600");
        await _supervisor.EnsureRunningAsync(spec, CancellationToken.None);
        var pid = _supervisor.Status("single")!.Pid;
        await _supervisor.EnsureRunningAsync(spec, CancellationToken.None);
        Assert.Equal(pid, _supervisor.Status("single")!.Pid);
        Assert.Single(_supervisor.List());
    }

    [Fact]
    public async Task Stop_escalates_to_sigkill_of_the_group_when_sigterm_is_ignored()
    {
        var spec = Shell("stubborn", "trap '' TERM; echo trapped; sleep 600 & while :; do sleep 0.05; done") with { StopTimeout = TimeSpan.FromMilliseconds(500) };
        await _supervisor.EnsureRunningAsync(spec, CancellationToken.None);
        await WaitAsync(() => ReadLog(_supervisor.LogFileOf("stubborn")).Contains("trapped", StringComparison.Ordinal), "the trap to be set");
        var pid = _supervisor.Status("stubborn")!.Pid!.Value;
        var watch = Stopwatch.StartNew();
        await _supervisor.StopAsync("stubborn", CancellationToken.None);
        Assert.False(ProcessIdentity.Read(pid) is not null, "the process survived");
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(10));
        Assert.Null(_supervisor.Status("stubborn"));
        Assert.False(File.Exists(Path.Combine(_root, "run", "stubborn.pid")));

        // Its background child was in its process group, so it went too.
        await WaitAsync(() => !Process.GetProcessesByName("sleep").Any(p => File.ReadAllText($"/proc/{p.Id}/stat").Split(' ')[4] == pid.ToString()), "the group to die");
    }

    [Fact]
    public async Task A_new_supervisor_adopts_a_live_process_from_its_pid_file()
    {
        var marker = "adopt-" + Guid.NewGuid().ToString("N");
        using var orphan = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "exec sleep 600", marker]))!;
        var identity = ProcessIdentity.Read(orphan.Id)!.Value;
        Directory.CreateDirectory(Path.Combine(_root, "run"));
        await File.WriteAllTextAsync(Path.Combine(_root, "run", "orphan.pid"), identity.Serialize());

        await _supervisor.EnsureRunningAsync(new ProcessSpec { Name = "orphan", FileName = "/bin/sh", Arguments = ["-c", "exec sleep 600"], IdentityMarker = "sleep" }, CancellationToken.None);
        var status = _supervisor.Status("orphan")!;
        Assert.True(status.Adopted);
        Assert.Equal(orphan.Id, status.Pid);
        await _supervisor.StopAsync("orphan", CancellationToken.None);
        Assert.True(orphan.WaitForExit(5000));
    }

    [Fact]
    public async Task A_pid_file_naming_another_program_is_not_adopted()
    {
        using var other = Process.Start(new ProcessStartInfo("/bin/sleep", ["600"]))!;
        Directory.CreateDirectory(Path.Combine(_root, "run"));
        await File.WriteAllTextAsync(Path.Combine(_root, "run", "mine.pid"), ProcessIdentity.Read(other.Id)!.Value.Serialize());

        await _supervisor.EnsureRunningAsync(Shell("mine", "exec sleep 601") with { IdentityMarker = "sleep 601" }, CancellationToken.None);
        var status = _supervisor.Status("mine")!;
        Assert.False(status.Adopted);
        Assert.NotEqual(other.Id, status.Pid);
        Assert.False(other.HasExited, "an unrelated process was killed");
        other.Kill();
    }

    [Fact]
    public async Task A_dead_pid_file_is_ignored_and_a_new_process_started()
    {
        Directory.CreateDirectory(Path.Combine(_root, "run"));
        await File.WriteAllTextAsync(Path.Combine(_root, "run", "ghost.pid"), "999999 12345");
        await _supervisor.EnsureRunningAsync(Shell("ghost", "exec sleep 600"), CancellationToken.None);
        Assert.False(_supervisor.Status("ghost")!.Adopted);
    }

    [Fact]
    public async Task Runs_as_an_unprivileged_user_when_root()
    {
        if (!Signals.IsRoot)
        {
            return;
        }

        await _supervisor.EnsureRunningAsync(Shell("asnobody", "id -un; exec sleep 600") with { RunAsUser = "nobody", Environment = new Dictionary<string, string> { ["HANGAR_TEST"] = "x" } }, CancellationToken.None);
        var pid = _supervisor.Status("asnobody")!.Pid!.Value;

        // Until its output shows, the pid may still be in setsid/sh before setpriv has exec'd.
        await WaitAsync(() => ReadLog(_supervisor.LogFileOf("asnobody")).Contains("nobody", StringComparison.Ordinal), "id output");
        var uid = File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[1];
        Assert.Equal("65534", uid);
        Assert.Contains("HANGAR_TEST=x", File.ReadAllText($"/proc/{pid}/environ"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_log_is_rotated_and_the_process_keeps_writing()
    {
        await using var supervisor = New(maxLogBytes: 64 * 1024);
        await supervisor.EnsureRunningAsync(Shell("chatty", "while :; do head -c 8192 /dev/zero | tr '\\0' x; echo; sleep 0.01; done"), CancellationToken.None);
        var log = supervisor.LogFileOf("chatty");
        await WaitAsync(() => File.Exists(log + ".1"), "rotation", TimeSpan.FromSeconds(30));
        await WaitAsync(() => new FileInfo(log).Length > 0 && new FileInfo(log).Length < 10 * 64 * 1024, "writing after rotation");
    }

    [Fact]
    public async Task A_pid_file_that_cannot_be_written_is_retried_and_the_process_comes_back_once_space_is_freed()
    {
        using var tmpfs = Hangar.Testing.TmpfsMount.Create(1);
        await using var supervisor = new Supervisor(
            new SupervisorOptions { RunDirectory = Path.Combine(tmpfs.Path, "run"), LogDirectory = Path.Combine(tmpfs.Path, "logs"), MaxBackoff = TimeSpan.FromSeconds(1) },
            NullLogger<Supervisor>.Instance, TimeProvider.System);
        var ballast = tmpfs.Fill();
        const string marker = "612.345";
        await supervisor.EnsureStartedAsync(Shell("diskfull", $"exec sleep {marker}"), CancellationToken.None);
        await WaitAsync(() => supervisor.Status("diskfull") is { State: ProcessState.Backoff, LastExit: { } why } && why.Contains("pid file", StringComparison.Ordinal), "a failed start");
        await WaitAsync(() => supervisor.Status("diskfull")!.LastExit!.Contains("pid file", StringComparison.Ordinal) && CountProcesses(marker) == 0, "no untracked copy left running");

        File.Delete(ballast);
        await WaitAsync(() => supervisor.Status("diskfull") is { Ready: true, Pid: not null }, "the start after space was freed");
        Assert.Equal(1, CountProcesses(marker));
        Assert.Equal(supervisor.Status("diskfull")!.Pid.ToString(), File.ReadAllText(Path.Combine(tmpfs.Path, "run", "diskfull.pid")).Split(' ')[0]);
        await supervisor.DisposeAsync();
        Assert.Equal(0, CountProcesses(marker));
    }

    [Fact]
    public async Task A_log_file_that_cannot_be_opened_is_retried_and_the_process_comes_back_once_it_can()
    {
        await using var supervisor = new Supervisor(
            new SupervisorOptions { RunDirectory = Path.Combine(_root, "run2"), LogDirectory = Path.Combine(_root, "logs2"), MaxBackoff = TimeSpan.FromSeconds(1) },
            NullLogger<Supervisor>.Instance, TimeProvider.System);
        var log = supervisor.LogFileOf("nolog");

        // A directory where the log file should be: the shell cannot open it for appending and exits.
        Directory.CreateDirectory(log);
        await supervisor.EnsureStartedAsync(Shell("nolog", "echo up; exec sleep 600"), CancellationToken.None);
        await WaitAsync(() => supervisor.Status("nolog") is { State: ProcessState.Backoff, LastExit: not null }, "a failed start");

        Directory.Delete(log);
        await WaitAsync(() => supervisor.Status("nolog") is { State: ProcessState.Running, Pid: not null }, "the start once the log can be opened");
        await WaitAsync(() => ReadLog(log).Contains("up", StringComparison.Ordinal), "the log line");
    }

    private static int CountProcesses(string argument) =>
        Directory.EnumerateDirectories("/proc").Count(dir =>
        {
            try
            {
                return int.TryParse(Path.GetFileName(dir), out _) && File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0').Contains(argument);
            }
            catch (IOException)
            {
                return false;
            }
        });

    public async Task DisposeAsync()
    {
        await _supervisor.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private Supervisor New(long maxLogBytes = 10 * 1024 * 1024) =>
        new(new SupervisorOptions { RunDirectory = Path.Combine(_root, "run"), LogDirectory = Path.Combine(_root, "logs"), MaxLogBytes = maxLogBytes, ReadinessTimeout = TimeSpan.FromSeconds(20) },
            NullLogger<Supervisor>.Instance, TimeProvider.System);

    private static ProcessSpec Shell(string name, string script) => new()
    {
        Name = name,
        FileName = "/bin/sh",
        Arguments = ["-c", script],
        IdentityMarker = "sleep",
    };

    private static string ReadLog(string path) => File.Exists(path) ? File.ReadAllText(path) : string.Empty;

    private static async Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
