namespace Hangar.ObjectStore.Acl;

/// <summary>The x-amz-acl values and the grants each stands for (S3's canned ACL table).</summary>
internal static class CannedAcl
{
    public const string PublicRead = "public-read";

    /// <summary>
    /// Null for a name S3 does not define or Hangar cannot honour (aws-exec-read, log-delivery-write).
    /// The bucket-owner-* names only mean something on objects; on a bucket they are the same as private.
    /// </summary>
    public static AccessControlList? Build(string name, string ownerId, string bucketOwnerId)
    {
        var grants = new List<AclGrant> { new(GranteeKind.User, ownerId, AclPermission.FullControl) };
        var otherBucketOwner = !string.Equals(ownerId, bucketOwnerId, StringComparison.Ordinal);
        switch (name.Trim())
        {
            case "private":
                break;
            case PublicRead:
                grants.Add(new(GranteeKind.AllUsers, null, AclPermission.Read));
                break;
            case "public-read-write":
                grants.Add(new(GranteeKind.AllUsers, null, AclPermission.Read));
                grants.Add(new(GranteeKind.AllUsers, null, AclPermission.Write));
                break;
            case "authenticated-read":
                grants.Add(new(GranteeKind.AuthenticatedUsers, null, AclPermission.Read));
                break;
            case "bucket-owner-read":
                if (otherBucketOwner)
                {
                    grants.Add(new(GranteeKind.User, bucketOwnerId, AclPermission.Read));
                }
                break;
            case "bucket-owner-full-control":
                if (otherBucketOwner)
                {
                    grants.Add(new(GranteeKind.User, bucketOwnerId, AclPermission.FullControl));
                }
                break;
            default:
                return null;
        }
        return new AccessControlList(ownerId, grants);
    }
}
