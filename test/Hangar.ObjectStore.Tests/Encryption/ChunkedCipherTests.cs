using System.Security.Cryptography;
using Hangar.ObjectStore.Encryption;

namespace Hangar.ObjectStore.Tests.Encryption;

public sealed class ChunkedCipherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hangar-sse-").FullName;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Seal(byte[] plain, int writeSize = 10_000)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        using (var file = File.Create(path))
        using (var sealer = new EncryptingStream(file, _key))
        {
            for (var at = 0; at < plain.Length; at += writeSize)
            {
                sealer.Write(plain, at, Math.Min(writeSize, plain.Length - at));
            }
            sealer.Finish();
        }
        return path;
    }

    private byte[] Read(string path, long size, long offset, long count)
    {
        using var handle = File.OpenHandle(path);
        using var output = new MemoryStream();
        var buffer = new byte[ChunkedCipher.ChunkSize];
        foreach (var n in EncryptedBlob.ReadRange(handle, _key, size, offset, count, buffer))
        {
            output.Write(buffer, 0, n);
        }
        return output.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(ChunkedCipher.ChunkSize)]
    [InlineData(ChunkedCipher.ChunkSize + 1)]
    [InlineData((3 * ChunkedCipher.ChunkSize) - 7)]
    public void Round_trip_holds_no_plaintext_and_has_the_computed_size(int size)
    {
        var plain = RandomNumberGenerator.GetBytes(size);
        var path = Seal(plain);
        var stored = File.ReadAllBytes(path);
        Assert.Equal(ChunkedCipher.StoredSize(size), stored.Length);
        if (size >= 32)
        {
            Assert.Equal(-1, stored.AsSpan().IndexOf(plain.AsSpan(0, 32)));
        }
        Assert.Equal(plain, Read(path, size, 0, size));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(ChunkedCipher.ChunkSize - 5, 10)]
    [InlineData(ChunkedCipher.ChunkSize, ChunkedCipher.ChunkSize)]
    [InlineData(100, (2 * ChunkedCipher.ChunkSize) + 50)]
    [InlineData((3 * ChunkedCipher.ChunkSize) - 1, 1)]
    public void Ranges_across_chunk_boundaries_decrypt_exactly(int offset, int count)
    {
        var plain = RandomNumberGenerator.GetBytes(3 * ChunkedCipher.ChunkSize);
        var path = Seal(plain, writeSize: 7777);
        Assert.Equal(plain.AsSpan(offset, count).ToArray(), Read(path, plain.Length, offset, count));
    }

    [Fact]
    public void A_flipped_byte_a_truncated_file_or_swapped_chunks_are_detected()
    {
        var plain = RandomNumberGenerator.GetBytes(2 * ChunkedCipher.ChunkSize);
        var path = Seal(plain);
        var stored = File.ReadAllBytes(path);
        var flipped = (byte[])stored.Clone();
        flipped[ChunkedCipher.HeaderSize + 1000] ^= 1;
        File.WriteAllBytes(path, flipped);
        Assert.ThrowsAny<CryptographicException>(() => Read(path, plain.Length, 0, 10));
        // Dropping the last chunk and calling the first one the whole object: its last-chunk flag says otherwise.
        File.WriteAllBytes(path, stored.AsSpan(0, ChunkedCipher.HeaderSize + ChunkedCipher.ChunkSize + ChunkedCipher.TagSize).ToArray());
        Assert.ThrowsAny<CryptographicException>(() => Read(path, ChunkedCipher.ChunkSize, 0, 10));
        var stride = ChunkedCipher.ChunkSize + ChunkedCipher.TagSize;
        var swapped = (byte[])stored.Clone();
        stored.AsSpan(ChunkedCipher.HeaderSize, stride).CopyTo(swapped.AsSpan(ChunkedCipher.HeaderSize + stride));
        stored.AsSpan(ChunkedCipher.HeaderSize + stride, stride).CopyTo(swapped.AsSpan(ChunkedCipher.HeaderSize));
        File.WriteAllBytes(path, swapped);
        Assert.ThrowsAny<CryptographicException>(() => Read(path, plain.Length, 0, 10));
        // Another key cannot open it either.
        File.WriteAllBytes(path, stored);
        using var handle = File.OpenHandle(path);
        Assert.ThrowsAny<CryptographicException>(() => EncryptedBlob.ReadRange(handle, RandomNumberGenerator.GetBytes(32), plain.Length, 0, 10, new byte[ChunkedCipher.ChunkSize]).ToList());
    }
}
