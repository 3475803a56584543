namespace Hangar.Redis.Resp;

/// <summary>The RESP2 reply types (the only ones a server sends unless a client asks for RESP3 with HELLO 3).</summary>
public enum RespKind
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
    Null,
}
