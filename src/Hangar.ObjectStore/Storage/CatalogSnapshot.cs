using System.Collections.Frozen;
using Hangar.ObjectStore.Acl;
using Hangar.ObjectStore.Auth;
using Hangar.ObjectStore.Buckets;

namespace Hangar.ObjectStore.Storage;

/// <summary>Immutable view of buckets and keys; requests read it without locks and the catalog swaps it on change.</summary>
internal sealed class CatalogSnapshot
{
    public CatalogSnapshot(IEnumerable<BucketRecord> buckets, IEnumerable<AccessKeyRecord> keys)
    {
        Buckets = buckets.ToFrozenDictionary(b => b.Name, StringComparer.Ordinal);
        Keys = keys.ToFrozenDictionary(k => k.AccessKeyId, StringComparer.Ordinal);
        Identities = new IdentityDirectory(Keys.Values, Buckets.Values);
    }

    public IdentityDirectory Identities { get; }

    public FrozenDictionary<string, BucketRecord> Buckets { get; }

    public FrozenDictionary<string, AccessKeyRecord> Keys { get; }

    public bool CanAccess(AccessKeyRecord key, BucketRecord bucket) =>
        string.Equals(bucket.OwnerKeyId, key.AccessKeyId, StringComparison.Ordinal)
        || Array.IndexOf(key.Buckets, bucket.Name) >= 0;
}
