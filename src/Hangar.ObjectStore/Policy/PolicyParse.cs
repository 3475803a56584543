namespace Hangar.ObjectStore.Policy;

/// <summary>A parsed policy, or the reason it is refused (answered as MalformedPolicy).</summary>
internal sealed record PolicyParse(BucketPolicy? Policy, string? Error);
