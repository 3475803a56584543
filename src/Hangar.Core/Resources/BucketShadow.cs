namespace Hangar.Core.Resources;

/// <summary>The upstream S3 bucket a shadow bucket reads through to; the secret key is stored encrypted (SecretBox).</summary>
public sealed record BucketShadow(string Bucket, string Endpoint, string AccessKey, string SecretKeyCiphertext, string? Region, bool WriteThrough);
