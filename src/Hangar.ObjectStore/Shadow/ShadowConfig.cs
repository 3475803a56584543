namespace Hangar.ObjectStore.Shadow;

/// <summary>The upstream S3 bucket a shadow bucket reads through to (and writes through to).</summary>
public sealed record ShadowConfig(
    string Bucket,
    string Endpoint,
    string AccessKey,
    string SecretKey,
    string? Region,
    bool WriteThrough);
