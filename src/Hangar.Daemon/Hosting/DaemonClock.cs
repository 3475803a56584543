namespace Hangar.Daemon.Hosting;

/// <summary>When this daemon started (for `hangar status`).</summary>
internal sealed record DaemonClock(DateTimeOffset StartedAt);
