namespace Hangar.Supervision;

/// <summary>
/// What to run. <see cref="Name"/> is unique per data dir ("etcd", "pg-db-1", "proxy-db", "redis-cache", "s3")
/// and names the pid file and the log file. Children are started in their own session with stdout and stderr
/// appended to the log file, so they outlive a killed daemon and never block on a dead pipe.
/// </summary>
public sealed record ProcessSpec
{
    public required string Name { get; init; }

    public required string FileName { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string? WorkingDirectory { get; init; }

    /// <summary>Unprivileged system user to run as when the daemon is root (PostgreSQL refuses root).</summary>
    public string? RunAsUser { get; init; }

    /// <summary>Polled after start until it returns true; the process counts as ready then.</summary>
    public Func<CancellationToken, Task<bool>>? Readiness { get; init; }

    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A string that must appear in the process's command line for an adopted pid to count as this process
    /// (guards against pid reuse). Defaults to the file name.
    /// </summary>
    public string? IdentityMarker { get; init; }
}
