namespace Hangar.ObjectStore.Acl;

/// <summary>What an S3 operation needs from the bucket's or the object's ACL.</summary>
internal enum AccessNeed
{
    BucketRead,
    BucketWrite,
    BucketReadAcp,
    BucketWriteAcp,

    /// <summary>Bucket settings (versioning, CORS, location, deletion): S3 keeps them to the bucket owner.</summary>
    BucketOwnerRead,
    BucketOwnerWrite,

    ObjectRead,
    ObjectReadAcp,
    ObjectWriteAcp,
}
