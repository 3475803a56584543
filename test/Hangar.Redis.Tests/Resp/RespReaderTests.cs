using System.Text;
using Hangar.Redis.Resp;

namespace Hangar.Redis.Tests.Resp;

public sealed class RespReaderTests
{
    [Theory]
    [InlineData("+OK\r\n", RespKind.SimpleString, "OK")]
    [InlineData("-NOPERM no permission\r\n", RespKind.Error, "NOPERM no permission")]
    [InlineData("$5\r\nhello\r\n", RespKind.BulkString, "hello")]
    [InlineData("$0\r\n\r\n", RespKind.BulkString, "")]
    [InlineData("$-1\r\n", RespKind.Null, null)]
    [InlineData("*-1\r\n", RespKind.Null, null)]
    public async Task Reads_each_scalar_reply_type(string wire, RespKind kind, string? text)
    {
        var value = await Read(wire);

        Assert.Equal(kind, value.Kind);
        Assert.Equal(text, value.Text);
    }

    [Fact]
    public async Task Reads_integers_including_negative()
    {
        Assert.Equal(42, (await Read(":42\r\n")).Integer);
        Assert.Equal(-7, (await Read(":-7\r\n")).Integer);
    }

    [Fact]
    public async Task Reads_nested_arrays_split_at_every_byte()
    {
        var wire = "*3\r\n$3\r\nfoo\r\n*2\r\n:1\r\n$-1\r\n+x\r\n";
        var reader = new RespReader(new OneByteStream(Encoding.UTF8.GetBytes(wire)));

        var value = await reader.ReadAsync(CancellationToken.None);

        Assert.Equal("[foo, [1, (nil)], x]", value.ToString());
    }

    [Fact]
    public async Task Bulk_strings_may_contain_CRLF_and_multibyte_text()
    {
        var text = "a\r\nb€";
        var wire = $"${Encoding.UTF8.GetByteCount(text)}\r\n{text}\r\n";

        Assert.Equal(text, (await Read(wire)).Text);
    }

    [Fact]
    public async Task Reads_consecutive_replies_from_one_buffer()
    {
        var reader = new RespReader(new MemoryStream(Encoding.UTF8.GetBytes("+PONG\r\n:3\r\n")));

        Assert.Equal("PONG", (await reader.ReadAsync(CancellationToken.None)).Text);
        Assert.Equal(3, (await reader.ReadAsync(CancellationToken.None)).Integer);
    }

    [Fact]
    public async Task A_bulk_string_larger_than_the_buffer_is_read_whole()
    {
        var big = new string('x', 100_000);
        Assert.Equal(big, (await Read($"$100000\r\n{big}\r\n")).Text);
    }

    [Theory]
    [InlineData("?what\r\n")]
    [InlineData(":12a\r\n")]
    [InlineData("+OK\n")]
    [InlineData("$3\r\nabcd\r\n")]
    public async Task Malformed_replies_are_protocol_errors(string wire) =>
        await Assert.ThrowsAsync<RespProtocolException>(() => Read(wire));

    [Fact]
    public async Task A_connection_closed_mid_reply_is_a_protocol_error() =>
        await Assert.ThrowsAsync<RespProtocolException>(() => Read("$10\r\nabc"));

    [Fact]
    public void Error_code_is_the_first_word()
    {
        Assert.Equal("OOM", RespValue.Error("OOM command not allowed when used memory > 'maxmemory'.").ErrorCode);
        Assert.Null(RespValue.Simple("OK").ErrorCode);
    }

    private static Task<RespValue> Read(string wire) =>
        new RespReader(new MemoryStream(Encoding.UTF8.GetBytes(wire))).ReadAsync(CancellationToken.None);
}
