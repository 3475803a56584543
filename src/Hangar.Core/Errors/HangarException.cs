namespace Hangar.Core.Errors;

/// <summary>
/// An expected failure that reaches the user as one line: the API turns it into ProblemDetails with
/// <see cref="Code"/>, the CLI prints <c>Error: {Message}</c> and exits 1.
/// </summary>
public sealed class HangarException : Exception
{
    public HangarException(string code, string message) : base(message) => Code = code;

    public HangarException(string code, string message, Exception inner) : base(message, inner) => Code = code;

    public string Code { get; }

    public static HangarException Invalid(string message) => new(ErrorCodes.InvalidArgument, message);

    public static HangarException NotFound(string kind, string name) => new(ErrorCodes.NotFound, $"{kind} '{name}' not found");

    public static HangarException Exists(string kind, string name) => new(ErrorCodes.AlreadyExists, $"{kind} '{name}' already exists");

    public static HangarException Precondition(string message) => new(ErrorCodes.FailedPrecondition, message);
}
