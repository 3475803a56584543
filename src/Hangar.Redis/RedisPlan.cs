using Hangar.Core.Errors;
using Hangar.Core.Resources;

namespace Hangar.Redis;

/// <summary>The limits of an instance's settings and their validation, shared by create and update.</summary>
public static class RedisPlan
{
    public const int DefaultMaxMemoryMb = 256;
    public const int MinMaxMemoryMb = 16;
    public const int MaxMaxMemoryMb = 65536;
    public const string PersistenceChoices = "aof, rdb or none";

    public static void CheckMaxMemory(int? maxMemoryMb, ProblemList problems) =>
        problems.Range("--maxmemory", maxMemoryMb, MinMaxMemoryMb, MaxMaxMemoryMb);

    /// <summary>Parses `--persistence`; null means the default (AOF with fsync every second).</summary>
    public static RedisPersistence? ParsePersistence(string? value, ProblemList problems)
    {
        switch (value?.ToLowerInvariant())
        {
            case null:
                return null;
            case "aof":
                return RedisPersistence.Aof;
            case "rdb":
                return RedisPersistence.Rdb;
            case "none":
                return RedisPersistence.None;
            default:
                problems.Add($"invalid --persistence '{value}': must be {PersistenceChoices}");
                return null;
        }
    }

    /// <summary>Room for the data twice over: an AOF rewrite writes the new file before it drops the old one.</summary>
    public static int VolumeSizeGb(int maxMemoryMb) => Math.Max(1, (int)Math.Ceiling(maxMemoryMb * 2 / 1024.0));

    public static string EvictionPolicy(bool eviction) => eviction ? "allkeys-lru" : "noeviction";
}
