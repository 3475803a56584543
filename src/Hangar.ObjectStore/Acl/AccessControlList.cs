using System.Text;

namespace Hangar.ObjectStore.Acl;

/// <summary>
/// An owner and its grants. Grants are kept in the order Ceph RGW answers them (groups first, then users
/// by canonical id, otherwise as given), so clients comparing lists position by position see the same thing.
/// </summary>
internal sealed record AccessControlList
{
    private const string Version = "v1";

    public AccessControlList(string ownerId, IEnumerable<AclGrant> grants)
        : this([.. grants.Select((g, i) => (g, i))
            .OrderBy(x => x.g.Kind == GranteeKind.User ? 1 : 0)
            .ThenBy(x => x.g.UserId ?? "", StringComparer.Ordinal)
            .ThenBy(x => x.i)
            .Select(x => x.g)], ownerId)
    {
    }

    /// <summary>For grants already in order: decoding runs on every object GET, so it does not sort again.</summary>
    private AccessControlList(AclGrant[] orderedGrants, string ownerId)
    {
        OwnerId = ownerId;
        Grants = orderedGrants;
    }

    public string OwnerId { get; }

    public IReadOnlyList<AclGrant> Grants { get; }

    /// <summary>Private: the owner alone, with FULL_CONTROL.</summary>
    public static AccessControlList Private(string ownerId) => new(ownerId, [new AclGrant(GranteeKind.User, ownerId, AclPermission.FullControl)]);

    /// <summary>
    /// Whether <paramref name="requester"/> holds <paramref name="permission"/>. The owner always keeps
    /// READ_ACP and WRITE_ACP, as in S3, so an owner who revoked everything can still repair the ACL.
    /// </summary>
    public bool Allows(Requester requester, AclPermission permission)
    {
        if (!requester.InScope || (requester.ReadOnly && permission is AclPermission.Write or AclPermission.WriteAcp))
        {
            return false;
        }
        if (permission is AclPermission.ReadAcp or AclPermission.WriteAcp && requester.IsOwner(OwnerId))
        {
            return true;
        }
        foreach (var grant in Grants)
        {
            if ((grant.Permission == permission || grant.Permission == AclPermission.FullControl) && Matches(grant, requester))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Matches(AclGrant grant, Requester requester) => grant.Kind switch
    {
        GranteeKind.AllUsers => true,
        GranteeKind.AuthenticatedUsers => requester.Authenticated,
        _ => requester.Id is not null && string.Equals(grant.UserId, requester.Id, StringComparison.Ordinal),
    };

    /// <summary>One line without spaces inside fields ("v1 OWNER R:u:ID F:all ..."), stored with the object or bucket.</summary>
    public string Encode()
    {
        var sb = new StringBuilder(Version).Append(' ').Append(OwnerId);
        foreach (var g in Grants)
        {
            sb.Append(' ').Append(PermissionCode(g.Permission)).Append(':');
            sb.Append(g.Kind switch { GranteeKind.AllUsers => "all", GranteeKind.AuthenticatedUsers => "auth", _ => "u:" + g.UserId });
        }
        return sb.ToString();
    }

    /// <summary>Null when <paramref name="encoded"/> is not an ACL this code wrote; the caller then falls back to the default.</summary>
    public static AccessControlList? Decode(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded))
        {
            return null;
        }
        var parts = encoded.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] != Version)
        {
            return null;
        }
        var grants = new List<AclGrant>(parts.Length - 2);
        foreach (var part in parts.AsSpan(2))
        {
            var fields = part.Split(':');
            AclPermission? permission = fields[0] switch { "R" => AclPermission.Read, "W" => AclPermission.Write, "RA" => AclPermission.ReadAcp, "WA" => AclPermission.WriteAcp, "F" => AclPermission.FullControl, _ => null };
            if (permission is null || fields.Length < 2)
            {
                return null;
            }
            switch (fields[1])
            {
                case "all":
                    grants.Add(new AclGrant(GranteeKind.AllUsers, null, permission.Value));
                    break;
                case "auth":
                    grants.Add(new AclGrant(GranteeKind.AuthenticatedUsers, null, permission.Value));
                    break;
                case "u" when fields.Length == 3:
                    grants.Add(new AclGrant(GranteeKind.User, fields[2], permission.Value));
                    break;
                default:
                    return null;
            }
        }
        return new AccessControlList(grants.ToArray(), parts[1]);
    }

    private static string PermissionCode(AclPermission permission) => permission switch
    {
        AclPermission.Read => "R",
        AclPermission.Write => "W",
        AclPermission.ReadAcp => "RA",
        AclPermission.WriteAcp => "WA",
        _ => "F",
    };

    public bool Equals(AccessControlList? other) => other is not null && Encode() == other.Encode();

    public override int GetHashCode() => Encode().GetHashCode(StringComparison.Ordinal);
}
