namespace Hangar.Client;

/// <summary>An error answered by the API (ProblemDetails), or the API not answering at all.</summary>
public sealed class HangarApiException : Exception
{
    public HangarApiException(string code, string message, int status) : base(message)
    {
        Code = code;
        Status = status;
    }

    public HangarApiException(string code, string message, Exception inner) : base(message, inner)
    {
        Code = code;
    }

    public string Code { get; }

    public int Status { get; }
}
