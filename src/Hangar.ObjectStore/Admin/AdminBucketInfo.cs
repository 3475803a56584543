namespace Hangar.ObjectStore.Admin;

/// <summary>A bucket as GET /_hangar/admin/buckets reports it; the shadow secret is never included.</summary>
public sealed record AdminBucketInfo(
    string Name,
    bool Public,
    string? OwnerKeyId,
    long Objects,
    long Bytes,
    AdminShadowInfo? Shadow,
    string? IndexDocument,
    string? ErrorDocument,
    string Versioning,
    DateTimeOffset CreatedAt);
