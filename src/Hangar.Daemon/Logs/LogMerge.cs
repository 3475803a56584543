using System.Globalization;
using System.Text.RegularExpressions;

namespace Hangar.Daemon.Logs;

/// <summary>
/// The processes of one resource write one log each (Patroni and PostgreSQL of every node, the proxy); `hangar logs -n N`
/// shows the last N lines of all of them as one time-ordered log, as `fly logs` does. Each process stamps its lines its
/// own way, so the time is read from the formats they write; a line without one (a stack trace, a continuation) keeps
/// the time of the line before it, so it stays with its message.
/// </summary>
internal static partial class LogMerge
{
    /// <summary>The last <paramref name="count"/> lines of <paramref name="sources"/>, oldest first, each as "[label] line".</summary>
    public static IReadOnlyList<string> Last(IReadOnlyList<(string Label, IReadOnlyList<string> Lines)> sources, int count)
    {
        var all = new List<(DateTime Time, int Source, int Index, string Text)>();
        for (var source = 0; source < sources.Count; source++)
        {
            var (label, lines) = sources[source];
            var time = DateTime.MinValue;
            for (var index = 0; index < lines.Count; index++)
            {
                if (TryParseTime(lines[index]) is { } stamped)
                {
                    time = stamped;
                }

                all.Add((time, source, index, $"[{label}] {lines[index].TrimEnd('\r')}"));
            }
        }

        // Ties (same millisecond, or lines before any stamp) keep the order of the sources and of their lines.
        return [.. all.OrderBy(l => l.Time).ThenBy(l => l.Source).ThenBy(l => l.Index).Skip(Math.Max(0, all.Count - count)).Select(l => l.Text)];
    }

    /// <summary>
    /// The time near the start of a log line, as UTC: ISO-like stamps (Hangar, the proxy, etcd's JSON "ts", Patroni's
    /// "2026-12-02 03:47:10,464", PostgreSQL's "... UTC") and Redis's "02 Dec 2026 03:47:10.464". A stamp with no zone is
    /// the host's local time, as Patroni and Redis write it.
    /// </summary>
    public static DateTime? TryParseTime(string line)
    {
        var head = line.Length > 100 ? line[..100] : line;
        if (Iso().Match(head) is { Success: true } iso)
        {
            if (!DateTime.TryParseExact($"{iso.Groups["y"]}-{iso.Groups["mo"]}-{iso.Groups["d"]} {iso.Groups["h"]}:{iso.Groups["mi"]}:{iso.Groups["s"]}", "yyyy-MM-dd HH:mm:ss",
                    CultureInfo.InvariantCulture, DateTimeStyles.None, out var whole))
            {
                return null;
            }

            var local = whole.AddTicks(Fraction(iso));
            var zone = iso.Groups["z"].Value.Trim();
            if (zone is "Z" or "UTC")
            {
                return DateTime.SpecifyKind(local, DateTimeKind.Utc);
            }

            if (zone.Length > 0 && TimeSpan.TryParseExact(zone[1..].Replace(":", string.Empty, StringComparison.Ordinal), "hhmm", CultureInfo.InvariantCulture, out var offset))
            {
                return DateTime.SpecifyKind(zone[0] == '-' ? local + offset : local - offset, DateTimeKind.Utc);
            }

            return Local(local);
        }

        if (Redis().Match(head) is { Success: true } redis
            && DateTime.TryParseExact(redis.Groups["t"].Value, ["dd MMM yyyy HH:mm:ss.fff", "d MMM yyyy HH:mm:ss.fff", "dd MMM yyyy HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return Local(time);
        }

        return null;
    }

    private static DateTime? Local(DateTime time)
    {
        try
        {
            return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(time, DateTimeKind.Unspecified), TimeZoneInfo.Local);
        }
        catch (ArgumentException)
        {
            // A local time skipped by a DST change: near enough.
            return DateTime.SpecifyKind(time, DateTimeKind.Utc);
        }
    }

    private static long Fraction(Match match)
    {
        var digits = match.Groups["f"].Value;
        return digits.Length == 0 ? 0 : long.Parse(digits.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})[ T](?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2})(?:[.,](?<f>\d{1,9}))?(?<z>Z| ?UTC| ?[+-]\d{2}:?\d{2})?", RegexOptions.CultureInvariant)]
    private static partial Regex Iso();

    [GeneratedRegex(@"^\d+:[XCSM] (?<t>\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}(?:\.\d{3})?)", RegexOptions.CultureInvariant)]
    private static partial Regex Redis();
}
