namespace Hangar.FunctionalTests.Storage;

/// <summary>A seekable in-memory body that hands out at most 64 KiB per read with a pause, so an upload lasts seconds.</summary>
public sealed class ThrottledStream(byte[] data, TimeSpan pause) : Stream
{
    private const int Chunk = 64 * 1024;
    private readonly MemoryStream _inner = new(data, writable: false);

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _inner.Length;

    public override long Position { get => _inner.Position; set => _inner.Position = value; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Thread.Sleep(pause);
        return _inner.Read(buffer, offset, Math.Min(count, Chunk));
    }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        await Task.Delay(pause, cancellationToken);
        return _inner.Read(buffer, offset, Math.Min(count, Chunk));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Delay(pause, cancellationToken);
        return _inner.Read(buffer.Span[..Math.Min(buffer.Length, Chunk)]);
    }

    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
