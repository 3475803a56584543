using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Hangar.Supervision;

/// <summary>
/// Runs the platform's child processes (etcd, Patroni, redis-server, the proxies, the S3 server):
/// one <see cref="SupervisedProcess"/> loop each, keyed by name so one name never runs twice.
/// Disposing stops them all; a daemon killed with SIGKILL leaves them running for the next daemon to adopt.
/// </summary>
public sealed class Supervisor : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SupervisedProcess> _processes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changes = new(1, 1);

    // Start order, so shutdown can run it backwards (etcd, started first, stops last); guarded by _changes.
    private readonly List<string> _startOrder = [];
    private readonly CancellationTokenSource _disposing = new();
    private readonly Task _rotation;
    private int _disposed;

    public Supervisor(SupervisorOptions options, ILogger<Supervisor> logger, TimeProvider time)
    {
        Options = options;
        Logger = logger;
        Time = time;
        Directory.CreateDirectory(options.RunDirectory, Core.Unix.FileModes.OwnerDirectory);
        Directory.CreateDirectory(options.LogDirectory, Core.Unix.FileModes.OwnerDirectory);
        _rotation = Task.Run(RotateLogsAsync);
    }

    public SupervisorOptions Options { get; }

    internal ILogger Logger { get; }

    internal TimeProvider Time { get; }

    /// <summary>Adopts or starts <paramref name="spec"/> unless it is supervised already, then waits until it is ready.</summary>
    public async Task EnsureRunningAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        SupervisedProcess process;
        await _changes.WaitAsync(cancellationToken);
        try
        {
            if (!_processes.TryGetValue(spec.Name, out process!))
            {
                process = Add(spec);
            }
        }
        finally
        {
            _changes.Release();
        }

        await process.FirstReady.WaitAsync(Options.ReadinessTimeout, cancellationToken);
    }

    /// <summary>Starts supervising without waiting for readiness.</summary>
    public async Task EnsureStartedAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            if (!_processes.ContainsKey(spec.Name))
            {
                Add(spec);
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Stops <paramref name="name"/> (SIGTERM, then SIGKILL after its stop timeout) and forgets it.</summary>
    public async Task StopAsync(string name, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            if (_processes.TryRemove(name, out var process))
            {
                _startOrder.Remove(name);
                await process.StopAsync();
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Stops a process left by an earlier daemon that nothing supervises any more (its pid file is all that is left).</summary>
    public async Task StopOrphanAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        if (_processes.ContainsKey(spec.Name))
        {
            await StopAsync(spec.Name, cancellationToken);
            return;
        }

        var orphan = new SupervisedProcess(this, spec);
        if (File.Exists(orphan.PidFile) && ProcessIdentity.Parse(await File.ReadAllTextAsync(orphan.PidFile, cancellationToken)) is { } identity
            && identity.IsAlive() && (identity.CommandLine() ?? string.Empty).Contains(spec.IdentityMarker ?? spec.FileName, StringComparison.Ordinal))
        {
            Signals.Terminate(identity);
            var deadline = Time.GetUtcNow() + spec.StopTimeout;
            while (identity.IsAlive() && Time.GetUtcNow() < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }

            if (identity.IsAlive())
            {
                Signals.KillGroup(identity);
            }
        }

        File.Delete(orphan.PidFile);
    }

    private SupervisedProcess Add(ProcessSpec spec)
    {
        var process = new SupervisedProcess(this, spec);
        _processes[spec.Name] = process;
        _startOrder.Add(spec.Name);
        process.Start();
        return process;
    }

    public ProcessStatus? Status(string name) => _processes.TryGetValue(name, out var process) ? process.Status() : null;

    public IReadOnlyList<ProcessStatus> List() => [.. _processes.Values.Select(p => p.Status()).OrderBy(s => s.Name, StringComparer.Ordinal)];

    public string LogFileOf(string name) => Path.Combine(Options.LogDirectory, name + ".log");

    /// <summary>Sends SIGHUP (config reload) to a supervised process.</summary>
    public bool Reload(string name) =>
        _processes.TryGetValue(name, out var process) && process.Status().Pid is { } pid && ProcessIdentity.Read(pid) is { } identity && Signals.Hangup(identity);

    public async ValueTask DisposeAsync()
    {
        // The daemon disposes it explicitly (after the API stops) and the DI container does again.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _disposing.CancelAsync();
        await _rotation.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        await _changes.WaitAsync();
        foreach (var name in Enumerable.Reverse(_startOrder))
        {
            if (_processes.TryRemove(name, out var process))
            {
                await process.StopAsync();
            }
        }

        _startOrder.Clear();
        _disposing.Dispose();
        _changes.Dispose();
    }

    private async Task RotateLogsAsync()
    {
        while (!_disposing.IsCancellationRequested)
        {
            foreach (var process in _processes.Values)
            {
                process.RotateLogIfLarge();
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), Time, _disposing.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
