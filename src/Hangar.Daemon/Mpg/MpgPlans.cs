namespace Hangar.Daemon.Mpg;

/// <summary>
/// Fly's plans by name (docs and flyctl: Basic shared x2 1 GB, Starter shared x2 2 GB, Launch performance x2 8 GB,
/// Scale performance x4 33 GB, Performance performance x8 64 GB) plus development, Fly's single-node plan for trying
/// things. Every plan but development is three nodes with synchronous replication and backups on.
/// </summary>
internal static class MpgPlans
{
    public const string Default = "basic";

    /// <summary>
    /// Connections kept out of the pool's reach: superuser_reserved_connections (3), Patroni's own, the daemon's
    /// admin sessions and pg_basebackup/pgBackRest.
    /// </summary>
    public const int ReservedConnections = 10;

    public static readonly IReadOnlyList<MpgPlan> All =
    [
        new("development", "Development", "Shared x 1", 512, 1, 1, 50, 128, 10, 500),
        new("basic", "Basic", "Shared x 2", 1024, 3, 10, 100, 256, 20, 2000),
        new("starter", "Starter", "Shared x 2", 2048, 3, 10, 200, 512, 40, 4000),
        new("launch", "Launch", "Performance x 2", 8192, 3, 20, 400, 2048, 80, 8000),
        new("scale", "Scale", "Performance x 4", 33792, 3, 50, 800, 8448, 160, 10000),
        new("performance", "Performance", "Performance x 8", 65536, 3, 100, 1000, 16384, 200, 10000),
    ];

    public static string Names => string.Join(", ", All.Select(p => p.Name));

    public static MpgPlan? Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The most server connections a pool may hold for max_connections <paramref name="maxConnections"/>.</summary>
    public static int MaxPoolSize(int maxConnections) => Math.Max(1, maxConnections - ReservedConnections);

    /// <summary>
    /// shared_buffers for the plan, at most a quarter of this host's memory: the plan's memory is not a VM here, and
    /// three nodes share the host, so a large plan on a small host would not start.
    /// </summary>
    public static int SharedBuffersMb(MpgPlan plan, long hostMemoryBytes)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var hostCap = (int)Math.Max(32, hostMemoryBytes / 1024 / 1024 / 4 / Math.Max(1, plan.Nodes));
        return Math.Min(plan.SharedBuffersMb, hostCap);
    }
}
