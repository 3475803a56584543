using System.Diagnostics;
using Hangar.Core.Unix;
using Microsoft.Extensions.Logging;

namespace Hangar.Supervision;

/// <summary>
/// One child process and the loop that keeps it running: adopt or start, wait for readiness,
/// wait for exit, back off, start again — until <see cref="StopAsync"/>.
/// </summary>
internal sealed partial class SupervisedProcess
{
    private readonly Supervisor _owner;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private Task? _loop;
    private ProcessIdentity? _current;
    private Process? _child;
    private ProcessState _state = ProcessState.Starting;
    private bool _ready;
    private bool _adopted;
    private int _restarts;
    private DateTimeOffset? _startedAt;
    private string? _lastExit;

    public SupervisedProcess(Supervisor owner, ProcessSpec spec)
    {
        _owner = owner;
        Spec = spec;
    }

    public ProcessSpec Spec { get; private set; }

    public string PidFile => Path.Combine(_owner.Options.RunDirectory, Spec.Name + ".pid");

    public string LogFile => Path.Combine(_owner.Options.LogDirectory, Spec.Name + ".log");

    public Task FirstReady => _firstReady.Task;

    public ProcessStatus Status()
    {
        lock (_gate)
        {
            return new ProcessStatus(Spec.Name, _state, _current?.Pid, _ready, _restarts, _adopted, _startedAt, _lastExit);
        }
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stopping.Token));

    public async Task StopAsync()
    {
        lock (_gate)
        {
            _state = ProcessState.Stopping;
        }

        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        var current = _current;
        if (current is { } process && process.IsAlive())
        {
            Signals.Terminate(process);
            var deadline = _owner.Time.GetUtcNow() + Spec.StopTimeout;
            while (process.IsAlive() && _owner.Time.GetUtcNow() < deadline)
            {
                await Task.Delay(50, CancellationToken.None);
            }

            if (process.IsAlive())
            {
                Log.StopEscalated(_owner.Logger, Spec.Name, process.Pid);
                Signals.KillGroup(process);
            }
        }

        // Reap a child we started so it does not linger as a zombie.
        if (_child is not null)
        {
            await _child.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _child.Dispose();
        }

        TryDelete(PidFile);
        lock (_gate)
        {
            _state = ProcessState.Stopped;
            _ready = false;
            _current = null;
        }

        Log.Stopped(_owner.Logger, Spec.Name);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var process = Adopt() ?? Launch();
                var runStarted = _owner.Time.GetUtcNow();
                var readyTask = WaitReadyAsync(process, stopping);
                await WaitExitAsync(process, stopping);
                await readyTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                var ran = _owner.Time.GetUtcNow() - runStarted;
                var exit = _child is { HasExited: true } child ? $"exit code {child.ExitCode}" : "exited";
                lock (_gate)
                {
                    _lastExit = $"{exit} at {_owner.Time.GetUtcNow():u}";
                    _ready = false;
                    _current = null;
                    _state = ProcessState.Backoff;
                    _restarts++;
                }

                _child?.Dispose();
                _child = null;
                TryDelete(PidFile);

                // A process that ran for a while before dying gets a fresh, short backoff.
                backoff = ran > TimeSpan.FromSeconds(60) ? TimeSpan.FromSeconds(1) : backoff;
                Log.Exited(_owner.Logger, Spec.Name, exit, backoff.TotalSeconds);
                await Task.Delay(backoff, _owner.Time, stopping);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _owner.Options.MaxBackoff.Ticks));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.LaunchFailed(_owner.Logger, Spec.Name, ex.Message);
                lock (_gate)
                {
                    _state = ProcessState.Backoff;
                    _lastExit = ex.Message;
                }

                try
                {
                    await Task.Delay(backoff, _owner.Time, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _owner.Options.MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Takes over a process a previous daemon started, when its pid file names a live process that is ours.</summary>
    private ProcessIdentity? Adopt()
    {
        if (!File.Exists(PidFile) || ProcessIdentity.Parse(File.ReadAllText(PidFile)) is not { } recorded)
        {
            return null;
        }

        if (!recorded.IsAlive())
        {
            TryDelete(PidFile);
            return null;
        }

        var marker = Spec.IdentityMarker ?? Spec.FileName;
        var commandLine = recorded.CommandLine() ?? string.Empty;
        if (!commandLine.Contains(marker, StringComparison.Ordinal))
        {
            Log.PidFileStale(_owner.Logger, Spec.Name, recorded.Pid);
            TryDelete(PidFile);
            return null;
        }

        lock (_gate)
        {
            _current = recorded;
            _adopted = true;
            _state = ProcessState.Starting;
            _startedAt = _owner.Time.GetUtcNow();
        }

        Log.Adopted(_owner.Logger, Spec.Name, recorded.Pid);
        return recorded;
    }

    private ProcessIdentity Launch()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LogFile)!, FileModes.OwnerDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(PidFile)!, FileModes.OwnerDirectory);

        // The shell would make the log with the umask's mode: a log may hold what a server prints about its users
        // and statements, so it is made owner-only first (the shell then appends to it).
        using (new FileStream(LogFile, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = FileModes.OwnerFile }))
        {
        }

        var start = new ProcessStartInfo("/usr/bin/setsid") { UseShellExecute = false };

        // setsid: the child leads its own session, so a terminal's Ctrl-C or the daemon's death does not reach it.
        // sh opens the log (as root, before privileges drop) with O_APPEND so truncation by rotation is safe,
        // then execs: the pid we record is the pid of the real program.
        start.ArgumentList.Add("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("log=$1; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(LogFile);
        if (Spec.RunAsUser is { } user && Signals.IsRoot)
        {
            start.ArgumentList.Add("/usr/bin/setpriv");
            start.ArgumentList.Add($"--reuid={user}");
            start.ArgumentList.Add($"--regid={UnixAccount.Lookup(user).Gid}");
            start.ArgumentList.Add("--init-groups");
            start.ArgumentList.Add("--reset-env");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add("/usr/bin/env");
            foreach (var (key, value) in Spec.Environment)
            {
                start.ArgumentList.Add($"{key}={value}");
            }
        }

        start.ArgumentList.Add(Spec.FileName);
        foreach (var argument in Spec.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in Spec.Environment)
        {
            start.Environment[key] = value;
        }

        if (Spec.WorkingDirectory is { } dir)
        {
            start.WorkingDirectory = dir;
        }

        var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Spec.FileName}");
        var identity = ProcessIdentity.Read(child.Id) ?? throw new InvalidOperationException($"{Spec.Name} exited at once; see {LogFile}");
        try
        {
            WritePidFile(identity);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A child nobody can find again (no pid file, not tracked here) would hold its ports and data dir
            // and make every retry fail: stop it, and let the backoff loop start it once the file can be written.
            // The group exists only once setsid has run, which may not have happened yet: the pid itself too.
            Signals.KillGroup(identity);
            Signals.Send(identity, NativeMethods.SIGKILL);
            child.WaitForExit(TimeSpan.FromSeconds(5));
            child.Dispose();
            TryDelete(PidFile + ".tmp");
            throw new IOException($"could not write the pid file {PidFile}: {ex.Message}", ex);
        }

        lock (_gate)
        {
            _child = child;
            _current = identity;
            _adopted = false;
            _state = ProcessState.Starting;
            _startedAt = _owner.Time.GetUtcNow();
        }

        Log.Started(_owner.Logger, Spec.Name, identity.Pid);
        return identity;
    }

    private void WritePidFile(ProcessIdentity identity)
    {
        var temp = PidFile + ".tmp";
        using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = FileModes.OwnerFile }))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(identity.Serialize()));
        }

        File.Move(temp, PidFile, overwrite: true);
    }

    private async Task WaitReadyAsync(ProcessIdentity process, CancellationToken stopping)
    {
        var deadline = _owner.Time.GetUtcNow() + _owner.Options.ReadinessTimeout;
        var warned = false;
        while (!stopping.IsCancellationRequested && process.IsAlive())
        {
            bool ready;
            try
            {
                ready = Spec.Readiness is null || await Spec.Readiness(stopping);
            }
            catch (Exception) when (!stopping.IsCancellationRequested)
            {
                ready = false;
            }

            if (ready)
            {
                lock (_gate)
                {
                    if (_current == process)
                    {
                        _ready = true;
                        _state = ProcessState.Running;
                    }
                }

                _firstReady.TrySetResult();
                return;
            }

            if (!warned && _owner.Time.GetUtcNow() > deadline)
            {
                warned = true;
                Log.NotReady(_owner.Logger, Spec.Name, _owner.Options.ReadinessTimeout.TotalSeconds);
            }

            await Task.Delay(100, stopping);
        }
    }

    private async Task WaitExitAsync(ProcessIdentity process, CancellationToken stopping)
    {
        if (_child is { } child && child.Id == process.Pid)
        {
            try
            {
                await child.WaitForExitAsync(stopping);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        // An adopted process is not our child: poll /proc for it (init reaps it).
        while (!stopping.IsCancellationRequested && process.IsAlive())
        {
            try
            {
                await Task.Delay(200, stopping);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    internal void RotateLogIfLarge()
    {
        try
        {
            var info = new FileInfo(LogFile);
            if (!info.Exists || info.Length <= _owner.Options.MaxLogBytes)
            {
                return;
            }

            // copy + truncate: the child keeps its O_APPEND descriptor, so it continues at the new end.
            File.Copy(LogFile, LogFile + ".1", overwrite: true);
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            stream.SetLength(0);
        }
        catch (IOException)
        {
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Information, "process {Name} started with pid {Pid}")]
        public static partial void Started(ILogger logger, string name, int pid);

        [LoggerMessage(1002, LogLevel.Information, "process {Name} adopted: pid {Pid} left running by an earlier daemon")]
        public static partial void Adopted(ILogger logger, string name, int pid);

        [LoggerMessage(1003, LogLevel.Warning, "process {Name} {Exit}; restarting in {Seconds}s")]
        public static partial void Exited(ILogger logger, string name, string exit, double seconds);

        [LoggerMessage(1004, LogLevel.Error, "process {Name} could not start: {Reason}")]
        public static partial void LaunchFailed(ILogger logger, string name, string reason);

        [LoggerMessage(1005, LogLevel.Warning, "process {Name} not ready after {Seconds}s")]
        public static partial void NotReady(ILogger logger, string name, double seconds);

        [LoggerMessage(1006, LogLevel.Warning, "process {Name} ignored SIGTERM (pid {Pid}); killing its process group")]
        public static partial void StopEscalated(ILogger logger, string name, int pid);

        [LoggerMessage(1007, LogLevel.Information, "process {Name} stopped")]
        public static partial void Stopped(ILogger logger, string name);

        [LoggerMessage(1008, LogLevel.Warning, "process {Name}: pid file names pid {Pid}, which is another program; ignoring it")]
        public static partial void PidFileStale(ILogger logger, string name, int pid);
    }
}
