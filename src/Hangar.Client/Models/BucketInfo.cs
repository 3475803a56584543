namespace Hangar.Client.Models;

/// <summary>
/// A bucket as `storage list/show` print it. <see cref="Managed"/> is false for buckets an owner key made through the
/// S3 API (they have no Hangar record). Objects and bytes are null when the S3 server does not answer.
/// </summary>
public sealed record BucketInfo(
    string Name,
    string State,
    bool Public,
    string? App,
    string? AccessKeyId,
    long? Objects,
    long? Bytes,
    BucketShadowInfo? Shadow,
    string? IndexDocument,
    string? ErrorDocument,
    bool Managed,
    string? OwnerKeyId,
    DateTimeOffset CreatedAt,
    string? Error);
