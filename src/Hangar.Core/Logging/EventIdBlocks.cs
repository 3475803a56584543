namespace Hangar.Core.Logging;

/// <summary>
/// The one registry of log event ids: each component owns a block, named by the namespace its [LoggerMessage]
/// methods live in (the longest matching prefix wins), so an id names one message across every log Hangar writes.
/// A new component takes a free block here; the Cli tests check every [LoggerMessage] in the product against it.
/// </summary>
public static class EventIdBlocks
{
    public static readonly IReadOnlyList<EventIdBlock> All =
    [
        new("Hangar.Supervision", 1000, 1999),
        new("Hangar.Daemon", 2000, 2099),
        new("Hangar.State", 2100, 2199),
        new("Hangar.Daemon.Reconcile", 2200, 2299),
        new("Hangar.ObjectStore", 3000, 3099),
        new("Hangar.Daemon.Volumes", 3100, 3199),
        new("Hangar.Postgres", 4000, 4099),
        new("Hangar.Daemon.Redis", 5000, 5099),
        new("Hangar.Daemon.Postgres", 6000, 6199),
        new("Hangar.Daemon.Postgres.Backups", 6200, 6299),
        new("Hangar.Daemon.Mpg", 6300, 6399),
        new("Hangar.Daemon.Postgres.Autostop", 6450, 6499),
        new("Hangar.Proxy", 7000, 7099),
        new("Hangar.Daemon.Storage", 7100, 7199),
        new("Hangar.Daemon.Sqlite", 9000, 9099),
        new("Hangar.Daemon.Dashboard", 9100, 9199),
        new("Hangar.Daemon.Metrics", 9300, 9399),
    ];

    /// <summary>The block of the most specific component <paramref name="ns"/> belongs to, or null for none.</summary>
    public static EventIdBlock? For(string ns) =>
        All.Where(b => ns == b.Namespace || ns.StartsWith(b.Namespace + ".", StringComparison.Ordinal))
            .OrderByDescending(b => b.Namespace.Length)
            .FirstOrDefault();
}
