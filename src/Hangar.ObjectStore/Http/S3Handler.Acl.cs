using System.Text;
using Hangar.ObjectStore.Acl;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Storage;

namespace Hangar.ObjectStore.Http;

internal sealed partial class S3Handler
{
    private const int MaxAclBody = 64 * 1024;

    /// <summary>
    /// The ACL decision for a routed request. Object permissions are read from the version the request
    /// names; a missing key is reported only to those who may list the bucket (S3 answers AccessDenied
    /// otherwise), and Hangar's public switch lets anyone read objects.
    /// </summary>
    private static bool Authorize(S3Request s3, AccessNeed need)
    {
        var bucket = s3.Bucket!;
        var ids = s3.Catalog.Identities;
        var requester = s3.Requester;
        switch (need)
        {
            case AccessNeed.BucketOwnerRead:
                return requester.IsOwner(ids.OwnerOf(bucket).Id);
            case AccessNeed.BucketOwnerWrite:
                return requester.IsOwner(ids.OwnerOf(bucket).Id) && !requester.ReadOnly;
            case AccessNeed.BucketRead or AccessNeed.BucketWrite or AccessNeed.BucketReadAcp or AccessNeed.BucketWriteAcp:
                return BucketAcls.Effective(bucket, ids).Allows(requester, need switch
                {
                    AccessNeed.BucketRead => AclPermission.Read,
                    AccessNeed.BucketWrite => AclPermission.Write,
                    AccessNeed.BucketReadAcp => AclPermission.ReadAcp,
                    _ => AclPermission.WriteAcp,
                });
        }
        return MayAccessObject(requester, bucket, RequestedVersion(s3), need switch
        {
            AccessNeed.ObjectRead => AclPermission.Read,
            AccessNeed.ObjectReadAcp => AclPermission.ReadAcp,
            _ => AclPermission.WriteAcp,
        }, ids);
    }

    private static bool MayAccessObject(Requester requester, BucketRecord bucket, ObjectVersion? version, AclPermission permission, IdentityDirectory ids)
    {
        if (permission == AclPermission.Read && bucket.Public && requester.InScope)
        {
            return true;
        }
        return version is null || version.DeleteMarker
            ? BucketAcls.Effective(bucket, ids).Allows(requester, AclPermission.Read)
            : BucketAcls.OfObject(version, bucket, ids).Allows(requester, permission);
    }

    /// <summary>x-amz-copy-source needs READ on the source object, judged by the source bucket's own view of the caller.</summary>
    private static bool CanReadCopySource(S3Request s3, BucketRecord bucket, ObjectVersion? version) =>
        MayAccessObject(s3.Catalog.Identities.RequesterFor(s3.Auth.Key, bucket), bucket, version, AclPermission.Read, s3.Catalog.Identities);

    private static ObjectVersion? RequestedVersion(S3Request s3)
    {
        var versionId = s3.Target.Get("versionId");
        var index = s3.Store!.Index;
        return versionId is null ? index.GetLatest(s3.Key) : index.GetVersion(s3.Key, versionId);
    }

    /// <summary>
    /// The ACL a new object gets from x-amz-acl / x-amz-grant-* (private by default); null after writing the
    /// error. The writer owns the object; an anonymous writer leaves it to the bucket owner, so nothing put
    /// into a public-read-write bucket is out of its owner's reach.
    /// </summary>
    private static async Task<AccessControlList?> NewObjectAclAsync(S3Request s3)
    {
        var ids = s3.Catalog.Identities;
        var bucketOwner = ids.OwnerOf(s3.Bucket!).Id;
        var ownerId = s3.Requester.Id ?? bucketOwner;
        var outcome = AclRequests.FromHeaders(s3.Request.Headers, ownerId, bucketOwner, ids);
        if (outcome.ErrorCode is not null)
        {
            await s3.ErrorAsync(outcome.ErrorCode, outcome.ErrorMessage!);
            return null;
        }
        return outcome.Acl ?? AccessControlList.Private(ownerId);
    }

    private Task GetBucketAclAsync(S3Request s3) => WriteAclAsync(s3, BucketAcls.Effective(s3.Bucket!, s3.Catalog.Identities));

    private async Task PutBucketAclAsync(S3Request s3)
    {
        var ownerId = s3.Catalog.Identities.OwnerOf(s3.Bucket!).Id;
        var outcome = await ReadAclRequestAsync(s3, ownerId, ownerId);
        if (outcome.Acl is null)
        {
            await s3.ErrorAsync(outcome.ErrorCode!, outcome.ErrorMessage!);
            return;
        }
        if (!stores.Catalog.UpdateBucket(s3.Bucket!.Name, b => b with { Acl = outcome.Acl }))
        {
            await s3.ErrorAsync("NoSuchBucket", "The specified bucket does not exist.");
        }
    }

    private async Task GetObjectAclAsync(S3Request s3)
    {
        if (await ExistingVersionAsync(s3) is not { } version)
        {
            return;
        }
        SetVersionHeader(s3, version);
        await WriteAclAsync(s3, BucketAcls.OfObject(version, s3.Bucket!, s3.Catalog.Identities));
    }

    private async Task PutObjectAclAsync(S3Request s3)
    {
        if (await ExistingVersionAsync(s3) is not { } version)
        {
            return;
        }
        var ids = s3.Catalog.Identities;
        var current = BucketAcls.OfObject(version, s3.Bucket!, ids);
        var outcome = await ReadAclRequestAsync(s3, current.OwnerId, ids.OwnerOf(s3.Bucket!).Id);
        if (outcome.Acl is null)
        {
            await s3.ErrorAsync(outcome.ErrorCode!, outcome.ErrorMessage!);
            return;
        }
        if (!await s3.Store!.Index.ReplaceHeadersAsync(version.Key, version.Seq, h => ObjectAcls.Replace(h, outcome.Acl)))
        {
            // The version was replaced or deleted after it was authorised: its successor's ACL is not ours to set.
            await s3.ErrorAsync("OperationAborted", "A conflicting conditional operation is currently in progress against this resource. Please try again.");
            return;
        }
        SetVersionHeader(s3, version);
    }

    private static void SetVersionHeader(S3Request s3, ObjectVersion version)
    {
        if (version.VersionId != BucketIndex.NullVersion)
        {
            s3.Response.Headers["x-amz-version-id"] = version.VersionId;
        }
    }

    private static async Task<ObjectVersion?> ExistingVersionAsync(S3Request s3)
    {
        var version = RequestedVersion(s3);
        if (version is null || version.DeleteMarker)
        {
            var versioned = s3.Target.Get("versionId") is not null;
            await s3.ErrorAsync(versioned ? "NoSuchVersion" : "NoSuchKey", versioned ? "The specified version does not exist." : "The specified key does not exist.");
            return null;
        }
        return version;
    }

    /// <summary>The ACL a PutBucketAcl/PutObjectAcl asks for: headers or an AccessControlPolicy body, never both.</summary>
    private static async Task<AclOutcome> ReadAclRequestAsync(S3Request s3, string ownerId, string bucketOwnerId)
    {
        var ids = s3.Catalog.Identities;
        var fromHeaders = AclRequests.FromHeaders(s3.Request.Headers, ownerId, bucketOwnerId, ids);
        if (fromHeaders.ErrorCode is not null)
        {
            return fromHeaders;
        }
        var body = await ReadSmallBodyAsync(s3, MaxAclBody);
        if (body is null)
        {
            return AclOutcome.Malformed();
        }
        if (fromHeaders.Acl is not null)
        {
            return body.Length == 0 ? fromHeaders : AclOutcome.Fail("UnexpectedContent", "This request does not support content");
        }
        if (body.Length == 0)
        {
            return AclOutcome.Fail("MissingSecurityHeader", "Your request was missing a required header: give x-amz-acl, x-amz-grant-* or an AccessControlPolicy body.");
        }
        using var stream = new MemoryStream(body);
        return AclRequests.FromXml(stream, ownerId, ids);
    }

    /// <summary>The whole body (aws-chunked or not); null when it is larger than <paramref name="limit"/> or its framing is bad.</summary>
    private static async Task<byte[]?> ReadSmallBodyAsync(S3Request s3, int limit)
    {
        var body = OpenBody(s3);
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int n;
            while ((n = await body.ReadAsync(chunk, s3.Aborted)) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > limit)
                {
                    return null;
                }
            }
            s3.BytesIn += buffer.Length;
            return body is Auth.AwsChunkedStream { Error: not null } ? null : buffer.ToArray();
        }
        finally
        {
            if (IsStreaming(s3))
            {
                await body.DisposeAsync();
            }
        }
    }

    private static Task WriteAclAsync(S3Request s3, AccessControlList acl)
    {
        var ids = s3.Catalog.Identities;
        var sb = Xml.Start("AccessControlPolicy");
        AppendAccount(sb, "Owner", acl.OwnerId, ids).Append("<AccessControlList>");
        foreach (var grant in acl.Grants)
        {
            sb.Append("<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"");
            if (grant.Kind == GranteeKind.User)
            {
                sb.Append("CanonicalUser\">").Element("ID", grant.UserId).Element("DisplayName", ids.ById(grant.UserId!)?.DisplayName);
            }
            else
            {
                sb.Append("Group\">").Element("URI", AclNames.GroupUri(grant.Kind));
            }
            sb.Append("</Grantee>").Element("Permission", AclNames.Permission(grant.Permission)).Append("</Grant>");
        }
        sb.Append("</AccessControlList></AccessControlPolicy>");
        return Xml.WriteAsync(s3.Context, sb);
    }

    /// <summary>An Owner/Initiator element: the canonical id, and the display name when the account is known.</summary>
    private static StringBuilder AppendAccount(StringBuilder sb, string element, string id, IdentityDirectory ids) =>
        sb.Append('<').Append(element).Append('>').Element("ID", id).Element("DisplayName", ids.ById(id)?.DisplayName)
            .Append("</").Append(element).Append('>');

    /// <summary>The owner of a stored version or upload, for listings: from its ACL, else the bucket owner.</summary>
    private static StringBuilder AppendOwner(StringBuilder sb, S3Request s3, string storedHeaders, string element = "Owner")
    {
        var ids = s3.Catalog.Identities;
        return AppendAccount(sb, element, ObjectAcls.Read(storedHeaders)?.OwnerId ?? ids.OwnerOf(s3.Bucket!).Id, ids);
    }
}
