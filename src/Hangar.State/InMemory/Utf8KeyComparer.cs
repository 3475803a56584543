using System.Text;

namespace Hangar.State.InMemory;

/// <summary>
/// Orders keys by their UTF-8 bytes, as etcd does. Ordinal UTF-16 order differs for characters above U+FFFF
/// against U+E000–U+FFFF, and the in-memory store must list in the same order as etcd.
/// </summary>
internal sealed class Utf8KeyComparer : IComparer<string>
{
    public static Utf8KeyComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        return Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y));
    }
}
