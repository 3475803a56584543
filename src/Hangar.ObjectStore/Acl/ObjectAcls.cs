using Hangar.ObjectStore.Storage;

namespace Hangar.ObjectStore.Acl;

/// <summary>
/// An object's ACL rides in its stored headers as one more "x-hangar-acl" pair, so it is written in the same
/// index row (and the same commit) as the version it belongs to, follows multipart uploads to completion and
/// leaves with the version — no schema change. Clients can never set the pair: only listed headers and
/// x-amz-meta-* are stored from requests, and it is stripped before headers are served or copied upstream.
/// </summary>
internal static class ObjectAcls
{
    public const string HeaderName = "x-hangar-acl";

    /// <summary>The stored ACL, or null for a version written before ACLs were kept.</summary>
    public static AccessControlList? Read(string storedHeaders)
    {
        if (!storedHeaders.Contains(HeaderName, StringComparison.Ordinal))
        {
            return null;
        }
        foreach (var (name, value) in StoredHeaders.Decode(storedHeaders))
        {
            if (name == HeaderName)
            {
                return AccessControlList.Decode(value);
            }
        }
        return null;
    }

    public static List<KeyValuePair<string, string>> Strip(IEnumerable<KeyValuePair<string, string>> headers) =>
        [.. headers.Where(h => h.Key != HeaderName)];

    public static string Encode(IEnumerable<KeyValuePair<string, string>> headers, AccessControlList acl) =>
        StoredHeaders.Encode([.. Strip(headers), new(HeaderName, acl.Encode())]);

    public static string Replace(string storedHeaders, AccessControlList acl) => Encode(StoredHeaders.Decode(storedHeaders), acl);
}
