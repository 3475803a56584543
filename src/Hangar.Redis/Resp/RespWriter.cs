using System.Globalization;
using System.Text;

namespace Hangar.Redis.Resp;

/// <summary>Encodes a command as a RESP array of bulk strings, the form every Redis command takes on the wire.</summary>
public static class RespWriter
{
    public static byte[] Encode(IReadOnlyList<string> arguments)
    {
        var builder = new StringBuilder();
        builder.Append('*').Append(arguments.Count.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        foreach (var argument in arguments)
        {
            builder.Append('$').Append(Encoding.UTF8.GetByteCount(argument).ToString(CultureInfo.InvariantCulture)).Append("\r\n").Append(argument).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
