namespace Hangar.Client.Models;

/// <summary>A shadow bucket's upstream, without its secret key.</summary>
public sealed record BucketShadowInfo(string Bucket, string Endpoint, string AccessKey, string? Region, bool WriteThrough);
