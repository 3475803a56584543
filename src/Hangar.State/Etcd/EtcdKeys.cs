using System.Text;

namespace Hangar.State.Etcd;

/// <summary>Keys are UTF-8 on the wire; etcd orders and ranges them as raw bytes.</summary>
internal static class EtcdKeys
{
    public static byte[] Encode(string key) => Encoding.UTF8.GetBytes(key);

    public static string Decode(byte[] key) => Encoding.UTF8.GetString(key);

    /// <summary>
    /// The [key, range_end) range holding every key that starts with <paramref name="prefix"/>: range_end is the
    /// prefix with its last byte incremented, so "a/" ends at "a0" and "a0" itself is excluded. UTF-8 never
    /// contains 0xff, so the increment cannot overflow. The empty prefix becomes ["\0", "\0"), every key.
    /// </summary>
    public static (byte[] Key, byte[] RangeEnd) PrefixRange(string prefix)
    {
        var key = Encode(prefix);
        if (key.Length == 0)
        {
            // etcd reads a range_end of "\0" as "to the end of the keyspace".
            return ([0], [0]);
        }

        var end = key.ToArray();
        end[^1]++;
        return (key, end);
    }

    /// <summary>The smallest key after <paramref name="key"/>, where the next page of a listing starts.</summary>
    public static byte[] Successor(byte[] key) => [.. key, 0];
}
