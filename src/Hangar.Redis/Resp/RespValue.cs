using System.Globalization;

namespace Hangar.Redis.Resp;

/// <summary>
/// One reply. An error reply is a value, not an exception: a refused command (NOPERM, OOM, WRONGPASS) is an
/// expected answer that callers look at, as YARP's ForwarderError.
/// </summary>
public sealed record RespValue(RespKind Kind, string? Text, long Integer, IReadOnlyList<RespValue>? Items)
{
    public static readonly RespValue Nil = new(RespKind.Null, null, 0, null);

    public bool IsError => Kind == RespKind.Error;

    /// <summary>The first word of an error ("NOPERM", "OOM", "WRONGPASS"), or null.</summary>
    public string? ErrorCode => IsError && Text is { } text ? text.Split(' ', 2)[0] : null;

    public static RespValue Simple(string text) => new(RespKind.SimpleString, text, 0, null);

    public static RespValue Error(string text) => new(RespKind.Error, text, 0, null);

    public static RespValue Number(long value) => new(RespKind.Integer, null, value, null);

    public static RespValue Bulk(string text) => new(RespKind.BulkString, text, 0, null);

    public static RespValue Array(IReadOnlyList<RespValue> items) => new(RespKind.Array, null, 0, items);

    public override string ToString() => Kind switch
    {
        RespKind.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        RespKind.Null => "(nil)",
        RespKind.Array => "[" + string.Join(", ", Items!.Select(i => i.ToString())) + "]",
        RespKind.Error => "(error) " + Text,
        _ => Text ?? string.Empty,
    };
}
