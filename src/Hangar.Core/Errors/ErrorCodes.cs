namespace Hangar.Core.Errors;

/// <summary>Stable machine-readable error codes carried in ProblemDetails <c>code</c>.</summary>
public static class ErrorCodes
{
    public const string InvalidArgument = "invalid_argument";
    public const string NotFound = "not_found";
    public const string AlreadyExists = "already_exists";
    public const string Conflict = "conflict";
    public const string FailedPrecondition = "failed_precondition";
    public const string Unauthorized = "unauthorized";
    public const string Unavailable = "unavailable";
    public const string Internal = "internal";

    public static int HttpStatus(string code) => code switch
    {
        InvalidArgument => 400,
        Unauthorized => 401,
        NotFound => 404,
        AlreadyExists => 409,
        Conflict => 409,
        FailedPrecondition => 412,
        Unavailable => 503,
        _ => 500,
    };
}
