namespace Hangar.ObjectStore.Encryption;

/// <summary>
/// Write-only stream that seals what is written into <see cref="ChunkedCipher"/>'s format on the inner file.
/// A full chunk is held back until more bytes arrive, as only then is it known not to be the last;
/// <see cref="Finish"/> seals the last one. Plaintext never reaches the inner stream.
/// </summary>
internal sealed class EncryptingStream : Stream
{
    private readonly Stream _inner;
    private readonly System.Security.Cryptography.AesGcm _cipher;
    private readonly byte[] _plain = new byte[ChunkedCipher.ChunkSize];
    private readonly byte[] _sealed = new byte[ChunkedCipher.ChunkSize + ChunkedCipher.TagSize];
    private int _filled;
    private long _index;
    private bool _finished;

    public EncryptingStream(Stream inner, byte[] dataKey)
    {
        _inner = inner;
        var header = ChunkedCipher.NewHeader();
        _cipher = ChunkedCipher.FileCipher(dataKey, header);
        inner.Write(header);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (_filled == _plain.Length)
            {
                SealChunk(last: false);
            }
            var n = Math.Min(buffer.Length, _plain.Length - _filled);
            buffer[..n].CopyTo(_plain.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
        }
    }

    /// <summary>Seals the final chunk (an empty one for an empty body); call once, before flushing the file.</summary>
    public void Finish()
    {
        if (!_finished)
        {
            SealChunk(last: true);
            _finished = true;
        }
    }

    private void SealChunk(bool last)
    {
        ChunkedCipher.Seal(_cipher, _index++, last, _plain.AsSpan(0, _filled), _sealed);
        _inner.Write(_sealed, 0, _filled + ChunkedCipher.TagSize);
        _filled = 0;
    }

    public override void Flush() => _inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cipher.Dispose();
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(_plain);
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
