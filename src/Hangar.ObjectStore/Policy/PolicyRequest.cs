using System.Net;

namespace Hangar.ObjectStore.Policy;

/// <summary>
/// What a policy is evaluated against. <see cref="CanonicalId"/> and <see cref="AccessKeyId"/> are null for
/// anonymous requests; <see cref="Prefix"/> is the listing's prefix parameter (s3:prefix), null when absent.
/// </summary>
internal sealed record PolicyRequest(
    string Action,
    string Resource,
    string? CanonicalId,
    string? AccessKeyId,
    bool SecureTransport,
    IPAddress? SourceIp,
    string? Prefix);
