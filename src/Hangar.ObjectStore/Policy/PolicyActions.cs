namespace Hangar.ObjectStore.Policy;

/// <summary>
/// The S3 actions a bucket policy can govern here, and which operation asks for which. Bucket settings
/// (versioning, CORS, lifecycle, policy, encryption) stay the bucket owner's and are not among them, so a policy
/// naming one is refused rather than stored and ignored.
/// </summary>
internal static class PolicyActions
{
    public static readonly string[] Known =
    [
        "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion",
        "s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts",
        "s3:AbortMultipartUpload", "s3:GetObjectAcl", "s3:PutObjectAcl", "s3:GetBucketAcl", "s3:PutBucketAcl",
        "s3:GetObjectTagging", "s3:PutObjectTagging", "s3:DeleteObjectTagging",
    ];

    /// <summary>Actions a read-only key never gets, whatever a policy allows.</summary>
    public static bool Writes(string action) =>
        action is "s3:PutObject" or "s3:DeleteObject" or "s3:DeleteObjectVersion" or "s3:AbortMultipartUpload"
            or "s3:PutObjectAcl" or "s3:PutBucketAcl" or "s3:PutObjectTagging" or "s3:DeleteObjectTagging";

    /// <summary>The action an operation needs and whether it is on the object (else the bucket); null when policies do not apply to it.</summary>
    public static (string Action, bool OnObject)? For(string operation, bool hasVersionId) => operation switch
    {
        "GetObject" or "HeadObject" => (hasVersionId ? "s3:GetObjectVersion" : "s3:GetObject", true),
        "PutObject" or "PostObject" or "CopyObject" or "CreateMultipartUpload" or "UploadPart" or "UploadPartCopy" or "CompleteMultipartUpload" => ("s3:PutObject", true),
        "DeleteObject" => (hasVersionId ? "s3:DeleteObjectVersion" : "s3:DeleteObject", true),
        "AbortMultipartUpload" => ("s3:AbortMultipartUpload", true),
        "ListParts" => ("s3:ListMultipartUploadParts", true),
        "GetObjectAcl" => ("s3:GetObjectAcl", true),
        "PutObjectAcl" => ("s3:PutObjectAcl", true),
        "GetObjectTagging" => ("s3:GetObjectTagging", true),
        "PutObjectTagging" => ("s3:PutObjectTagging", true),
        "DeleteObjectTagging" => ("s3:DeleteObjectTagging", true),
        "ListObjects" or "ListObjectsV2" or "HeadBucket" => ("s3:ListBucket", false),
        "ListObjectVersions" => ("s3:ListBucketVersions", false),
        "ListMultipartUploads" => ("s3:ListBucketMultipartUploads", false),
        "GetBucketAcl" => ("s3:GetBucketAcl", false),
        "PutBucketAcl" => ("s3:PutBucketAcl", false),
        // DeleteObjects is judged key by key as s3:DeleteObject (S3Handler.Delete.cs).
        _ => null,
    };
}
