namespace Hangar.ObjectStore.Admin;

/// <summary>Body of PUT /_hangar/admin/keys/{accessKeyId}. No buckets means an owner key.</summary>
public sealed record AdminKeyRequest(string? SecretKey, string[]? Buckets = null, bool ReadOnly = false);
