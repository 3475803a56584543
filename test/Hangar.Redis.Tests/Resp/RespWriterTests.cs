using System.Text;
using Hangar.Redis.Resp;

namespace Hangar.Redis.Tests.Resp;

public sealed class RespWriterTests
{
    [Fact]
    public void Encodes_a_command_as_an_array_of_bulk_strings_with_byte_lengths()
    {
        var wire = Encoding.UTF8.GetString(RespWriter.Encode(["SET", "k€", ""]));

        Assert.Equal("*3\r\n$3\r\nSET\r\n$4\r\nk€\r\n$0\r\n\r\n", wire);
    }
}
