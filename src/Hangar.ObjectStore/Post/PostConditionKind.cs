namespace Hangar.ObjectStore.Post;

internal enum PostConditionKind
{
    /// <summary>{"field": "value"} or ["eq", "$field", "value"].</summary>
    Equals,

    /// <summary>["starts-with", "$field", "prefix"]; for Content-Type each of a comma-separated list must match.</summary>
    StartsWith,

    /// <summary>["content-length-range", min, max]: bounds the file's size, inclusive.</summary>
    ContentLengthRange,
}
