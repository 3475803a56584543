using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Hangar.ObjectStore.Auth;
using Hangar.ObjectStore.Buckets;

namespace Hangar.ObjectStore.Acl;

/// <summary>
/// Hangar's S3 accounts. Every owner key (a key with no bucket list) is an account: its canonical id is the
/// SHA-256 of its access key id, so it is the same after every restart, its display name is the access key
/// id and its e-mail for grants is ACCESSKEYID@hangar.local. Buckets the daemon manages belong to the
/// platform account "hangar". Built once per catalog snapshot.
/// </summary>
internal sealed class IdentityDirectory
{
    public const string EmailDomain = "hangar.local";

    public static readonly CanonicalUser Platform = new(CanonicalId("platform", "hangar"), "hangar", null);

    private readonly FrozenDictionary<string, CanonicalUser> _byId;
    private readonly FrozenDictionary<string, CanonicalUser> _byKey;
    private readonly FrozenDictionary<string, CanonicalUser[]> _byEmail;

    public IdentityDirectory(IEnumerable<AccessKeyRecord> keys, IEnumerable<BucketRecord> buckets)
    {
        var byKey = new Dictionary<string, CanonicalUser>(StringComparer.Ordinal);
        foreach (var key in keys.Where(k => k.IsOwnerKey))
        {
            byKey[key.AccessKeyId] = ForKey(key.AccessKeyId);
        }
        // A bucket keeps its owner's identity after the key is deleted, so its ACL still reads sensibly.
        foreach (var owner in buckets.Select(b => b.OwnerKeyId).OfType<string>())
        {
            byKey.TryAdd(owner, ForKey(owner));
        }
        _byKey = byKey.ToFrozenDictionary(StringComparer.Ordinal);
        var byId = byKey.Values.ToDictionary(u => u.Id, StringComparer.Ordinal);
        byId[Platform.Id] = Platform;
        _byId = byId.ToFrozenDictionary(StringComparer.Ordinal);
        _byEmail = byKey.Values.Where(u => u.Email is not null)
            .GroupBy(u => u.Email!, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    public static CanonicalUser ForKey(string accessKeyId) =>
        new(CanonicalId("key", accessKeyId), accessKeyId, accessKeyId + "@" + EmailDomain);

    private static string CanonicalId(string kind, string name) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("hangar-" + kind + ":" + name)));

    public CanonicalUser? ById(string id) => _byId.GetValueOrDefault(id.Trim());

    /// <summary>The account of an e-mail; <paramref name="ambiguous"/> when two keys differ only in letter case.</summary>
    public CanonicalUser? ByEmail(string email, out bool ambiguous)
    {
        ambiguous = false;
        if (!_byEmail.TryGetValue(email.Trim(), out var users))
        {
            return null;
        }
        ambiguous = users.Length > 1;
        return ambiguous ? null : users[0];
    }

    public CanonicalUser OwnerOf(BucketRecord bucket) =>
        bucket.OwnerKeyId is null ? Platform : _byKey.GetValueOrDefault(bucket.OwnerKeyId) ?? ForKey(bucket.OwnerKeyId);

    public Requester RequesterFor(AccessKeyRecord? key, BucketRecord bucket)
    {
        if (key is null)
        {
            return Requester.Anonymous;
        }
        if (key.IsOwnerKey)
        {
            return new Requester(_byKey[key.AccessKeyId].Id, true, key.ReadOnly, true);
        }
        // A scoped key is the bucket owner's delegate inside its buckets and has no say anywhere else.
        return Array.IndexOf(key.Buckets, bucket.Name) >= 0
            ? new Requester(OwnerOf(bucket).Id, true, key.ReadOnly, true)
            : new Requester(null, true, key.ReadOnly, false);
    }

    /// <summary>The account a key appears as in ListBuckets: its own, or the platform's for a scoped key.</summary>
    public CanonicalUser AccountOf(AccessKeyRecord key) => key.IsOwnerKey ? _byKey[key.AccessKeyId] : Platform;
}
