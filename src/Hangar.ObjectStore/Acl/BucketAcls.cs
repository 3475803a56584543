using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Storage;

namespace Hangar.ObjectStore.Acl;

/// <summary>
/// Effective ACLs. Hangar's own public switch (the daemon's `--public`) is the canned ACL public-read on the
/// bucket, and it also lets anyone read the bucket's objects whatever their own ACLs say — the way a
/// website bucket's "GetObject for *" policy does in S3 — so static sites keep working.
/// </summary>
internal static class BucketAcls
{
    /// <summary>The stored ACL, or for a bucket from before ACLs: private to its owner, public-read when public.</summary>
    public static AccessControlList Effective(BucketRecord bucket, IdentityDirectory ids) =>
        bucket.Acl ?? ForSwitch(ids.OwnerOf(bucket).Id, bucket.Public);

    public static AccessControlList ForSwitch(string ownerId, bool isPublic) =>
        CannedAcl.Build(isPublic ? CannedAcl.PublicRead : "private", ownerId, ownerId)!;

    /// <summary>An object's ACL; a version stored before ACLs belongs to the bucket owner, private.</summary>
    public static AccessControlList OfObject(ObjectVersion version, BucketRecord bucket, IdentityDirectory ids) =>
        ObjectAcls.Read(version.Headers) ?? AccessControlList.Private(ids.OwnerOf(bucket).Id);
}
