namespace Hangar.ObjectStore.Post;

/// <summary>Why a POST upload is refused: the S3 error code and message, a value since bad forms are expected traffic.</summary>
internal sealed record PostPolicyError(string Code, string Message)
{
    public static PostPolicyError Invalid(string message) => new("InvalidPolicyDocument", "Invalid Policy: " + message);

    public static PostPolicyError Denied(string message) => new("AccessDenied", "Invalid according to Policy: " + message);

    public static PostPolicyError MissingField(string field) =>
        new("InvalidArgument", $"Bucket POST must contain a field named '{field}'.  If it is specified, please check the order of the fields.");
}
