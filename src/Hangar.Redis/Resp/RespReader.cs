using System.Buffers.Text;
using System.Text;

namespace Hangar.Redis.Resp;

/// <summary>Parses RESP2 replies from a stream through one reusable buffer.</summary>
public sealed class RespReader(Stream stream)
{
    private const int MaxBulkBytes = 512 * 1024 * 1024;
    private const int MaxDepth = 32;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public Task<RespValue> ReadAsync(CancellationToken cancellationToken) => ReadAsync(0, cancellationToken);

    private async Task<RespValue> ReadAsync(int depth, CancellationToken cancellationToken)
    {
        if (depth > MaxDepth)
        {
            throw new RespProtocolException("reply nested too deeply");
        }

        var line = await ReadLineAsync(cancellationToken);
        if (line.Length == 0)
        {
            throw new RespProtocolException("empty reply line");
        }

        var body = line[1..];
        switch (line[0])
        {
            case '+':
                return RespValue.Simple(body);
            case '-':
                return RespValue.Error(body);
            case ':':
                return RespValue.Number(ParseLong(body));
            case '$':
            {
                var length = ParseLong(body);
                if (length < 0)
                {
                    return RespValue.Nil;
                }

                if (length > MaxBulkBytes)
                {
                    throw new RespProtocolException($"bulk string of {length} bytes is too large");
                }

                var bytes = await ReadExactAsync((int)length + 2, cancellationToken);
                if (bytes[^2] != '\r' || bytes[^1] != '\n')
                {
                    throw new RespProtocolException("bulk string not terminated by CRLF");
                }

                return RespValue.Bulk(Encoding.UTF8.GetString(bytes, 0, (int)length));
            }

            case '*':
            {
                var count = ParseLong(body);
                if (count < 0)
                {
                    return RespValue.Nil;
                }

                var items = new List<RespValue>((int)Math.Min(count, 1024));
                for (var i = 0; i < count; i++)
                {
                    items.Add(await ReadAsync(depth + 1, cancellationToken));
                }

                return RespValue.Array(items);
            }

            default:
                throw new RespProtocolException($"unknown reply type '{line[0]}'");
        }
    }

    private static long ParseLong(string text) =>
        Utf8Parser.TryParse(Encoding.ASCII.GetBytes(text), out long value, out var consumed) && consumed == text.Length
            ? value
            : throw new RespProtocolException($"invalid number '{text}'");

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var span = _buffer.AsSpan(_start + scanned, _end - _start - scanned);
            var newline = span.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var lineEnd = _start + scanned + newline;
                if (lineEnd == _start || _buffer[lineEnd - 1] != '\r')
                {
                    throw new RespProtocolException("reply line not terminated by CRLF");
                }

                var line = Encoding.UTF8.GetString(_buffer, _start, lineEnd - 1 - _start);
                _start = lineEnd + 1;
                return line;
            }

            scanned = _end - _start;
            await FillAsync(cancellationToken);
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken);
            }

            var take = Math.Min(count - copied, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(result.AsSpan(copied));
            _start += take;
            copied += take;
        }

        return result;
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            throw new RespProtocolException("connection closed by the server");
        }

        _end += read;
    }
}
