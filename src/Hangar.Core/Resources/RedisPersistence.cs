namespace Hangar.Core.Resources;

/// <summary>How a Redis instance keeps its data on its volume (`--persistence`).</summary>
public enum RedisPersistence
{
    /// <summary>Append-only file, fsync every second: at most about a second of writes lost in a crash.</summary>
    Aof,

    /// <summary>Periodic RDB snapshots only: cheaper, loses the writes since the last snapshot.</summary>
    Rdb,

    /// <summary>Nothing on disk: a restart starts empty.</summary>
    None,
}
