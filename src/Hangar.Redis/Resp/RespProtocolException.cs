namespace Hangar.Redis.Resp;

/// <summary>The peer sent something that is not RESP, or closed the connection mid-reply.</summary>
public sealed class RespProtocolException(string message) : Exception(message);
