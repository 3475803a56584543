using System.Buffers;
using System.Text;

namespace Hangar.ObjectStore.Auth;

/// <summary>Percent-decoding and the RFC 3986 encoding SigV4 canonicalisation requires.</summary>
internal static class UriEncoding
{
    private static readonly SearchValues<char> Unreserved =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

    /// <summary>Decodes %XX sequences as UTF-8; '+' stays '+' (S3 paths and SigV4 queries never use it for space).</summary>
    public static string Decode(ReadOnlySpan<char> value)
    {
        if (value.IndexOf('%') < 0)
        {
            return value.ToString();
        }
        var bytes = DecodeBytes(value);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The bytes %XX sequences stand for, which need not be UTF-8 (a listing prefix may be any bytes).</summary>
    public static byte[] DecodeBytes(ReadOnlySpan<char> value)
    {
        var bytes = new byte[value.Length];
        var n = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                bytes[n++] = (byte)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2]));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes[n++] = (byte)c;
            }
            else
            {
                var encoded = Encoding.UTF8.GetBytes(c.ToString());
                if (n + encoded.Length > bytes.Length)
                {
                    Array.Resize(ref bytes, bytes.Length + encoded.Length + 16);
                }
                encoded.CopyTo(bytes, n);
                n += encoded.Length;
            }
        }
        Array.Resize(ref bytes, n);
        return bytes;
    }

    /// <summary>Percent-encodes raw bytes, for echoing a parameter that is not valid UTF-8.</summary>
    public static string EncodeBytes(ReadOnlySpan<byte> value, bool keepSlash)
    {
        var sb = new StringBuilder(value.Length * 3);
        foreach (var b in value)
        {
            if (b < 0x80 && (Unreserved.Contains((char)b) || (keepSlash && b == '/')))
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
            }
        }
        return sb.ToString();
    }

    public static string Encode(string value, bool keepSlash)
    {
        if (value.AsSpan().IndexOfAnyExcept(Unreserved) < 0)
        {
            return value;
        }
        var sb = new StringBuilder(value.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (Unreserved.Contains(c) || (keepSlash && c == '/'))
            {
                sb.Append(c);
                continue;
            }
            int len;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length)
            {
                len = Encoding.UTF8.GetBytes(value.AsSpan(i, 2), utf8);
                i++;
            }
            else
            {
                len = Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
            }
            for (var j = 0; j < len; j++)
            {
                sb.Append('%').Append(HexUpper[utf8[j] >> 4]).Append(HexUpper[utf8[j] & 0xF]);
            }
        }
        return sb.ToString();
    }

    private const string HexUpper = "0123456789ABCDEF";

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
