namespace Hangar.ObjectStore.Admin;

public sealed record AdminShadowInfo(string Bucket, string Endpoint, string AccessKey, string? Region, bool WriteThrough);
