namespace Hangar.ObjectStore.Policy;

/// <summary>A bucket policy: the document as the owner sent it (GetBucketPolicy returns it unchanged) and its statements.</summary>
internal sealed record BucketPolicy(string Json, IReadOnlyList<PolicyStatement> Statements);
