using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;

namespace Hangar.ObjectStore.Checksums;

/// <summary>
/// CRC-32 (IEEE, reflected 0xEDB88320) and CRC-32C (Castagnoli, reflected 0x82F63B78), as S3's
/// x-amz-checksum-crc32 / -crc32c use them. System.IO.Hashing is not part of the shared framework,
/// so both are here: slicing-by-8 tables, and the SSE4.2 instruction for CRC-32C where present.
/// </summary>
internal sealed class Crc32
{
    private static readonly uint[] IeeeTable = BuildTable(0xEDB88320u);
    private static readonly uint[] CastagnoliTable = BuildTable(0x82F63B78u);

    private readonly uint[] _table;
    private readonly bool _hardware;
    private uint _state = 0xFFFFFFFFu;

    private Crc32(uint[] table, bool hardware)
    {
        _table = table;
        _hardware = hardware;
    }

    public static Crc32 CreateIeee() => new(IeeeTable, false);

    public static Crc32 CreateCastagnoli() => new(CastagnoliTable, Sse42.X64.IsSupported);

    public void Append(ReadOnlySpan<byte> data)
    {
        _state = _hardware ? AppendSse42(_state, data) : AppendTable(_table, _state, data);
    }

    public uint GetCurrentValue() => ~_state;

    /// <summary>Big-endian bytes, the order S3 base64-encodes.</summary>
    public byte[] GetHashAndReset()
    {
        var result = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(result, ~_state);
        _state = 0xFFFFFFFFu;
        return result;
    }

    private static uint AppendSse42(uint crc, ReadOnlySpan<byte> data)
    {
        ulong c = crc;
        while (data.Length >= 8)
        {
            c = Sse42.X64.Crc32(c, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        var c32 = (uint)c;
        foreach (var b in data)
        {
            c32 = Sse42.Crc32(c32, b);
        }
        return c32;
    }

    private static uint AppendTable(uint[] t, uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            var one = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            var two = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = t[(7 * 256) + (one & 0xFF)] ^ t[(6 * 256) + ((one >> 8) & 0xFF)] ^ t[(5 * 256) + ((one >> 16) & 0xFF)] ^ t[(4 * 256) + (one >> 24)]
                ^ t[(3 * 256) + (two & 0xFF)] ^ t[(2 * 256) + ((two >> 8) & 0xFF)] ^ t[256 + ((two >> 16) & 0xFF)] ^ t[two >> 24];
            data = data[8..];
        }
        foreach (var b in data)
        {
            crc = t[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc;
    }

    private static uint[] BuildTable(uint poly)
    {
        var t = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ poly : c >> 1;
            }
            t[i] = c;
        }
        for (var i = 0; i < 256; i++)
        {
            for (var s = 1; s < 8; s++)
            {
                var prev = t[((s - 1) * 256) + i];
                t[(s * 256) + i] = (prev >> 8) ^ t[prev & 0xFF];
            }
        }
        return t;
    }
}
