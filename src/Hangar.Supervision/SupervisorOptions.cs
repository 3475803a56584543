namespace Hangar.Supervision;

public sealed record SupervisorOptions
{
    /// <summary>Pid files live here: one per process, "pid starttime".</summary>
    public required string RunDirectory { get; init; }

    public required string LogDirectory { get; init; }

    /// <summary>A log over this size is copied to "NAME.log.1" and truncated.</summary>
    public long MaxLogBytes { get; init; } = 10 * 1024 * 1024;

    public TimeSpan ReadinessTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}
