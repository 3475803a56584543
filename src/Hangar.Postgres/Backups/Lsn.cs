using System.Globalization;

namespace Hangar.Postgres.Backups;

/// <summary>A PostgreSQL WAL position ("16/B374D848"), ordered, and the WAL segment arithmetic around it.</summary>
public readonly record struct Lsn(ulong Value) : IComparable<Lsn>
{
    /// <summary>PostgreSQL's default (and Hangar's) WAL segment size.</summary>
    public const ulong SegmentSize = 16UL * 1024 * 1024;

    public static bool TryParse(string? text, out Lsn lsn)
    {
        lsn = default;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash is <= 0 or > 8 || text.Length - slash - 1 is < 1 or > 8
            || !uint.TryParse(text.AsSpan(0, slash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high)
            || !uint.TryParse(text.AsSpan(slash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low))
        {
            return false;
        }

        lsn = new Lsn(((ulong)high << 32) | low);
        return true;
    }

    public static Lsn Parse(string text) => TryParse(text, out var lsn) ? lsn : throw new FormatException($"invalid LSN '{text}'");

    /// <summary>The position just past the end of WAL segment file <paramref name="segment"/> (TTTTTTTTXXXXXXXXYYYYYYYY).</summary>
    public static Lsn EndOfSegment(string segment)
    {
        if (segment.Length != 24
            || !ulong.TryParse(segment.AsSpan(8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var log)
            || !ulong.TryParse(segment.AsSpan(16, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var seg))
        {
            throw new FormatException($"invalid WAL segment name '{segment}'");
        }

        return new Lsn((log << 32) + (seg + 1) * SegmentSize);
    }

    /// <summary>The position where WAL segment file <paramref name="segment"/> begins.</summary>
    public static Lsn StartOfSegment(string segment) => new(EndOfSegment(segment).Value - SegmentSize);

    /// <summary>The name of the segment file holding this position on timeline <paramref name="timeline"/> (8 hex digits).</summary>
    public string SegmentName(string timeline) =>
        string.Create(CultureInfo.InvariantCulture, $"{timeline}{Value >> 32:X8}{(Value & 0xFFFFFFFF) / SegmentSize:X8}");

    public int CompareTo(Lsn other) => Value.CompareTo(other.Value);

    public static bool operator <(Lsn left, Lsn right) => left.Value < right.Value;

    public static bool operator >(Lsn left, Lsn right) => left.Value > right.Value;

    public static bool operator <=(Lsn left, Lsn right) => left.Value <= right.Value;

    public static bool operator >=(Lsn left, Lsn right) => left.Value >= right.Value;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Value >> 32:X}/{Value & 0xFFFFFFFF:X}");
}
