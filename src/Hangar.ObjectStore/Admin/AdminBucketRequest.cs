using Hangar.ObjectStore.Shadow;

namespace Hangar.ObjectStore.Admin;

/// <summary>Body of PUT /_hangar/admin/buckets/{name}.</summary>
public sealed record AdminBucketRequest(
    bool Public = false,
    string? OwnerKeyId = null,
    string? IndexDocument = null,
    string? ErrorDocument = null,
    ShadowConfig? Shadow = null);
