using System.Text;

namespace Hangar.ObjectStore.Objects;

/// <summary>S3 orders keys by their UTF-8 bytes, which is not .NET's UTF-16 ordinal order above U+FFFF.</summary>
internal static class KeyOrder
{
    public static int Compare(string a, string b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));

    public static readonly Comparer<string> Comparer = Comparer<string>.Create(Compare);

    /// <summary>Smallest byte string greater than every string with this prefix; null when there is none.</summary>
    public static byte[]? PrefixUpperBound(byte[] prefix)
    {
        var upper = (byte[])prefix.Clone();
        for (var i = upper.Length - 1; i >= 0; i--)
        {
            if (upper[i] != 0xFF)
            {
                upper[i]++;
                return upper[..(i + 1)];
            }
        }
        return null;
    }
}
