namespace Hangar.ObjectStore.Http;

/// <summary>
/// A read-only view of a request body whose every read goes through a <see cref="BodyIdleTimer"/>, for readers
/// that take a stream rather than a token per read (MultipartReader): a client that stops sending mid-form is cut
/// off after the idle timeout instead of holding the request open for ever.
/// </summary>
internal sealed class IdleTimedStream(Stream inner, BodyIdleTimer idle) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => idle.ReadAsync(inner, buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        idle.ReadAsync(inner, buffer.AsMemory(offset, count)).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Request bodies are read asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
