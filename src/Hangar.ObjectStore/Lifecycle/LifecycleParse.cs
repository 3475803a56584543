namespace Hangar.ObjectStore.Lifecycle;

/// <summary>The outcome of parsing a lifecycle document: the rules, or the S3 error code and message to answer.</summary>
internal sealed record LifecycleParse(IReadOnlyList<LifecycleRule>? Rules, string? ErrorCode, string? ErrorMessage)
{
    public static LifecycleParse Fail(string code, string message) => new(null, code, message);

    public static LifecycleParse Malformed() =>
        Fail("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
}
