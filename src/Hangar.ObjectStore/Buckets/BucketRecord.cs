using Hangar.ObjectStore.Acl;
using Hangar.ObjectStore.Lifecycle;
using Hangar.ObjectStore.Policy;
using Hangar.ObjectStore.Shadow;

namespace Hangar.ObjectStore.Buckets;

/// <summary>A bucket as the catalog stores it. <see cref="Id"/> names its directory, so a re-created name starts empty.</summary>
internal sealed record BucketRecord(
    string Name,
    string Id,
    bool Public,
    string? OwnerKeyId,
    string? IndexDocument,
    string? ErrorDocument,
    ShadowConfig? Shadow,
    VersioningState Versioning,
    string? CorsXml,
    DateTimeOffset CreatedAt)
{
    public CorsRule[] CorsRules { get; init; } = [];

    /// <summary>The bucket's ACL; null for a bucket made before ACLs were kept (see <see cref="BucketAcls.Effective"/>).</summary>
    public AccessControlList? Acl { get; init; }

    /// <summary>Lifecycle rules (PutBucketLifecycleConfiguration); empty when none.</summary>
    public IReadOnlyList<LifecycleRule> Lifecycle { get; init; } = [];

    /// <summary>The bucket policy (PutBucketPolicy); null when none.</summary>
    public BucketPolicy? Policy { get; init; }

    /// <summary>Default encryption (PutBucketEncryption): "AES256" or null.</summary>
    public string? DefaultEncryption { get; init; }

    /// <summary>The bucket's SSE-S3 data key wrapped by the platform key (Encryption/KeyRing.cs); null until first needed.</summary>
    public string? WrappedDataKey { get; init; }
}
