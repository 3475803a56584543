using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Hangar.ObjectStore.Encryption;

/// <summary>
/// The at-rest format of an SSE-S3 blob: a 32-byte header ("HGE1", a 16-byte random salt, 12 reserved bytes),
/// then the plaintext in 64 KiB chunks, each AES-256-GCM sealed with its 16-byte tag. Each file has its own key
/// (HKDF of the bucket's data key and the salt), so chunk nonces are simply the chunk index; the index and a
/// last-chunk flag are the associated data, so chunks cannot be reordered, dropped or the file truncated
/// unnoticed. A range is served by decrypting only the chunks it touches.
/// </summary>
internal static class ChunkedCipher
{
    public const int ChunkSize = 64 * 1024;
    public const int TagSize = 16;
    public const int HeaderSize = 32;
    private static readonly byte[] s_magic = "HGE1"u8.ToArray();
    private static readonly byte[] s_info = Encoding.ASCII.GetBytes("hangar sse-s3 blob v1");

    public static long ChunkCount(long plainSize) => plainSize == 0 ? 1 : (plainSize + ChunkSize - 1) / ChunkSize;

    /// <summary>Bytes on disk for <paramref name="plainSize"/> bytes of plaintext.</summary>
    public static long StoredSize(long plainSize) => HeaderSize + plainSize + (ChunkCount(plainSize) * TagSize);

    public static byte[] NewHeader()
    {
        var header = new byte[HeaderSize];
        s_magic.CopyTo(header, 0);
        RandomNumberGenerator.Fill(header.AsSpan(4, 16));
        return header;
    }

    public static AesGcm FileCipher(byte[] dataKey, ReadOnlySpan<byte> header)
    {
        if (!header[..4].SequenceEqual(s_magic))
        {
            throw new CryptographicException("The blob is not an SSE-S3 blob (bad header).");
        }
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, dataKey, 32, header.Slice(4, 16).ToArray(), s_info);
        return new AesGcm(key, TagSize);
    }

    public static void Seal(AesGcm cipher, long index, bool last, ReadOnlySpan<byte> plain, Span<byte> sealedChunk)
    {
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[9];
        Describe(index, last, nonce, aad);
        cipher.Encrypt(nonce, plain, sealedChunk[..plain.Length], sealedChunk.Slice(plain.Length, TagSize), aad);
    }

    /// <summary>Opens one chunk; throws <see cref="AuthenticationTagMismatchException"/> when it was altered.</summary>
    public static void Open(AesGcm cipher, long index, bool last, ReadOnlySpan<byte> sealedChunk, Span<byte> plain)
    {
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[9];
        Describe(index, last, nonce, aad);
        var length = sealedChunk.Length - TagSize;
        cipher.Decrypt(nonce, sealedChunk[..length], sealedChunk.Slice(length, TagSize), plain[..length], aad);
    }

    private static void Describe(long index, bool last, Span<byte> nonce, Span<byte> aad)
    {
        nonce.Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce, index);
        BinaryPrimitives.WriteInt64BigEndian(aad, index);
        aad[8] = last ? (byte)1 : (byte)0;
    }
}
