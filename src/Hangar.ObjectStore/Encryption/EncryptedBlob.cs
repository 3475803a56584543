using Microsoft.Win32.SafeHandles;

namespace Hangar.ObjectStore.Encryption;

/// <summary>Reads plaintext ranges of a sealed blob, decrypting only the chunks the range touches.</summary>
internal static class EncryptedBlob
{
    /// <summary>
    /// Decrypts [<paramref name="offset"/>, offset+<paramref name="count"/>) of a blob holding <paramref name="plainSize"/>
    /// plaintext bytes into <paramref name="plain"/> (at least one chunk long), yielding how many bytes of it each step filled.
    /// Throws <see cref="System.Security.Cryptography.AuthenticationTagMismatchException"/> on tampering, and
    /// <see cref="IOException"/> when the file is shorter than its index entry says.
    /// </summary>
    public static IEnumerable<int> ReadRange(SafeFileHandle file, byte[] dataKey, long plainSize, long offset, long count, byte[] plain)
    {
        if (count <= 0)
        {
            yield break;
        }
        var header = new byte[ChunkedCipher.HeaderSize];
        ReadExactly(file, header, 0);
        using var cipher = ChunkedCipher.FileCipher(dataKey, header);
        var sealedChunk = new byte[ChunkedCipher.ChunkSize + ChunkedCipher.TagSize];
        var chunks = ChunkedCipher.ChunkCount(plainSize);
        var index = offset / ChunkedCipher.ChunkSize;
        var skip = (int)(offset % ChunkedCipher.ChunkSize);
        while (count > 0)
        {
            var plainLength = (int)Math.Min(ChunkedCipher.ChunkSize, plainSize - (index * ChunkedCipher.ChunkSize));
            var stored = sealedChunk.AsSpan(0, plainLength + ChunkedCipher.TagSize);
            ReadExactly(file, stored, ChunkedCipher.HeaderSize + (index * (ChunkedCipher.ChunkSize + ChunkedCipher.TagSize)));
            ChunkedCipher.Open(cipher, index, index == chunks - 1, stored, plain);
            var take = (int)Math.Min(plainLength - skip, count);
            if (skip > 0)
            {
                plain.AsSpan(skip, take).CopyTo(plain);
            }
            yield return take;
            count -= take;
            skip = 0;
            index++;
        }
    }

    private static void ReadExactly(SafeFileHandle file, Span<byte> buffer, long at)
    {
        while (!buffer.IsEmpty)
        {
            var n = RandomAccess.Read(file, buffer, at);
            if (n == 0)
            {
                throw new IOException("Encrypted blob is shorter than its index entry.");
            }
            buffer = buffer[n..];
            at += n;
        }
    }
}
