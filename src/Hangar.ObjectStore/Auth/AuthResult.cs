namespace Hangar.ObjectStore.Auth;

/// <summary>Outcome of checking a request's signature: a value, since bad signatures are expected traffic.</summary>
internal sealed class AuthResult
{
    public static readonly AuthResult Anonymous = new();

    public AccessKeyRecord? Key { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public PayloadMode Payload { get; init; }

    public string? PayloadSha256 { get; init; }

    /// <summary>For aws-chunked bodies: the material each chunk signature is checked against.</summary>
    public ChunkSigningContext? Chunks { get; init; }

    public bool IsAnonymous => Key is null && ErrorCode is null;

    public static AuthResult Fail(string code, string message) => new() { ErrorCode = code, ErrorMessage = message };
}
