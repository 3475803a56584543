using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hangar.ObjectStore.Auth;

/// <summary>
/// Decodes an aws-chunked body ("size[;chunk-signature=sig]\r\ndata\r\n" ... "0...\r\n[trailers]\r\n"),
/// verifying each chunk signature against the previous one when the payload is signed, and collecting
/// trailing x-amz-checksum-* headers. Failures end the stream and set <see cref="Error"/> rather than
/// throwing: a bad chunk is a client error, not an exceptional state.
/// </summary>
internal sealed class AwsChunkedStream : Stream
{
    private const int MaxLine = 8192;
    private readonly Stream _inner;
    private readonly ChunkSigningContext? _signing;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly IncrementalHash? _chunkHash;
    private int _pos;
    private int _len;
    private long _chunkRemaining = -1;
    private string? _chunkSignature;
    private string? _previousSignature;
    private bool _done;

    public AwsChunkedStream(Stream inner, ChunkSigningContext? signing)
    {
        _inner = inner;
        _signing = signing;
        _previousSignature = signing?.SeedSignature;
        if (signing is not null)
        {
            _chunkHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }
    }

    public Dictionary<string, string> Trailers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Error { get; private set; }

    public string? ErrorMessage { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (!_done)
        {
            if (_chunkRemaining == 0)
            {
                var crlf = await ReadLineAsync(cancellationToken);
                if (crlf is null || crlf.Length != 0)
                {
                    return Fail("IncompleteBody", "Chunk data is not followed by CRLF.");
                }
                if (!VerifyChunk())
                {
                    return 0;
                }
                _chunkRemaining = -1;
            }
            if (_chunkRemaining < 0)
            {
                var header = await ReadLineAsync(cancellationToken);
                if (header is null)
                {
                    return Fail("IncompleteBody", "The request body ended before the final chunk.");
                }
                var semi = header.IndexOf(';', StringComparison.Ordinal);
                var sizeText = semi < 0 ? header : header[..semi];
                if (!long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
                {
                    return Fail("InvalidRequest", "Malformed aws-chunked chunk header.");
                }
                _chunkSignature = semi < 0 ? null : ParseSignature(header[(semi + 1)..]);
                if (_signing is not null && _chunkSignature is null)
                {
                    return Fail("SignatureDoesNotMatch", "Chunk signature missing.");
                }
                _chunkRemaining = size;
                if (size == 0)
                {
                    if (!VerifyChunk())
                    {
                        return 0;
                    }
                    return await ReadTrailersAsync(cancellationToken);
                }
            }
            if (_pos == _len && !await FillAsync(cancellationToken))
            {
                return Fail("IncompleteBody", "The request body ended inside a chunk.");
            }
            var n = (int)Math.Min(Math.Min(_chunkRemaining, _len - _pos), destination.Length);
            var data = _buffer.AsSpan(_pos, n);
            data.CopyTo(destination.Span);
            _chunkHash?.AppendData(data);
            _pos += n;
            _chunkRemaining -= n;
            return n;
        }
        return 0;
    }

    private async ValueTask<int> ReadTrailersAsync(CancellationToken cancellationToken)
    {
        var trailerText = new StringBuilder();
        string? trailerSignature = null;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line is null)
            {
                // Some clients end the body right after the last trailer line.
                break;
            }
            if (line.Length == 0)
            {
                break;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return Fail("InvalidRequest", "Malformed trailer.");
            }
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("x-amz-trailer-signature", StringComparison.OrdinalIgnoreCase))
            {
                trailerSignature = value;
                continue;
            }
            Trailers[name] = value;
            trailerText.Append(name).Append(':').Append(value).Append('\n');
        }
        if (_signing is not null && Trailers.Count > 0)
        {
            var stringToSign = $"AWS4-HMAC-SHA256-TRAILER\n{_signing.AmzDate}\n{_signing.Scope}\n{_previousSignature}\n{SigV4.HexSha256(trailerText.ToString())}";
            if (trailerSignature is null || !SigV4.SignatureEquals(SigV4.Sign(_signing.SigningKey, stringToSign), trailerSignature))
            {
                return Fail("SignatureDoesNotMatch", "The trailer signature does not match.");
            }
        }
        _done = true;
        return 0;
    }

    private bool VerifyChunk()
    {
        if (_signing is null)
        {
            return true;
        }
        var dataHash = Convert.ToHexStringLower(_chunkHash!.GetHashAndReset());
        var stringToSign = $"AWS4-HMAC-SHA256-PAYLOAD\n{_signing.AmzDate}\n{_signing.Scope}\n{_previousSignature}\n{SigV4.EmptySha256}\n{dataHash}";
        var expected = SigV4.Sign(_signing.SigningKey, stringToSign);
        if (!SigV4.SignatureEquals(expected, _chunkSignature!))
        {
            Fail("SignatureDoesNotMatch", "The chunk signature does not match.");
            return false;
        }
        _previousSignature = expected;
        return true;
    }

    private static string? ParseSignature(string extension)
    {
        const string prefix = "chunk-signature=";
        return extension.StartsWith(prefix, StringComparison.Ordinal) ? extension[prefix.Length..] : null;
    }

    private async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var span = _buffer.AsSpan(_pos, _len - _pos);
            var nl = span.IndexOf("\r\n"u8);
            if (nl >= 0)
            {
                var line = Encoding.ASCII.GetString(span[..nl]);
                _pos += nl + 2;
                return line;
            }
            if (_len - _pos > MaxLine || !await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _len - _pos);
            _len -= _pos;
            _pos = 0;
        }
        if (_len == _buffer.Length)
        {
            return false;
        }
        var n = await _inner.ReadAsync(_buffer.AsMemory(_len), cancellationToken);
        _len += n;
        return n > 0;
    }

    private int Fail(string code, string message)
    {
        Error ??= code;
        ErrorMessage ??= message;
        _done = true;
        return 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _chunkHash?.Dispose();
        }
        base.Dispose(disposing);
    }
}
