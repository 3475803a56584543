using System.Text.RegularExpressions;

namespace Hangar.Postgres.Settings;

/// <summary>
/// PostgreSQL's units for integer and real parameters (guc.c's conversion tables): memory in B, kB, MB, GB, TB
/// (powers of 1024) and time in us, ms, s, min, h, d; a parameter's base unit may carry a multiplier (8kB).
/// Unit names are case-sensitive, as in PostgreSQL.
/// </summary>
internal static partial class SettingUnits
{
    public const string MemoryNames = "B, kB, MB, GB or TB";
    public const string TimeNames = "us, ms, s, min, h or d";

    private static readonly Dictionary<string, decimal> Memory = new(StringComparer.Ordinal)
    {
        ["B"] = 1m,
        ["kB"] = 1024m,
        ["MB"] = 1024m * 1024,
        ["GB"] = 1024m * 1024 * 1024,
        ["TB"] = 1024m * 1024 * 1024 * 1024,
    };

    // In microseconds, so every unit is a whole number.
    private static readonly Dictionary<string, decimal> Time = new(StringComparer.Ordinal)
    {
        ["us"] = 1m,
        ["ms"] = 1_000m,
        ["s"] = 1_000_000m,
        ["min"] = 60_000_000m,
        ["h"] = 3_600_000_000m,
        ["d"] = 86_400_000_000m,
    };

    /// <summary>The family (memory or time) and size of a base unit such as 8kB or ms; null for an unknown unit.</summary>
    public static (bool IsMemory, decimal Size, string Name)? OfBase(string unit)
    {
        var match = BaseUnit().Match(unit);
        if (!match.Success)
        {
            return null;
        }

        var multiplier = match.Groups[1].Length > 0 ? decimal.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 1m;
        var name = match.Groups[2].Value;
        return Memory.TryGetValue(name, out var bytes) ? (true, multiplier * bytes, name)
            : Time.TryGetValue(name, out var micros) ? (false, multiplier * micros, name)
            : null;
    }

    /// <summary>The size of <paramref name="name"/> in the given family; null when it is not a unit of that family.</summary>
    public static decimal? Size(bool memory, string name) =>
        (memory ? Memory : Time).TryGetValue(name, out var size) ? size : null;

    [GeneratedRegex(@"\A([0-9]*)([A-Za-z]+)\z")]
    private static partial Regex BaseUnit();
}
