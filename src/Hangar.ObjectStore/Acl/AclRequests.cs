using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Acl;

/// <summary>Reads the ACL a request asks for: x-amz-acl, the x-amz-grant-* headers, or an AccessControlPolicy body.</summary>
internal static class AclRequests
{
    public const string CannedHeader = "x-amz-acl";

    private static readonly (string Header, AclPermission Permission)[] GrantHeaders =
    [
        ("x-amz-grant-read", AclPermission.Read), ("x-amz-grant-write", AclPermission.Write),
        ("x-amz-grant-read-acp", AclPermission.ReadAcp), ("x-amz-grant-write-acp", AclPermission.WriteAcp),
        ("x-amz-grant-full-control", AclPermission.FullControl),
    ];

    private static readonly XName XsiType = XName.Get("type", "http://www.w3.org/2001/XMLSchema-instance");

    public static bool HasAclHeaders(IHeaderDictionary headers) =>
        headers.ContainsKey(CannedHeader) || GrantHeaders.Any(g => headers.ContainsKey(g.Header));

    /// <summary>The ACL the headers ask for, <see cref="AclOutcome.None"/> when they ask for none.</summary>
    public static AclOutcome FromHeaders(IHeaderDictionary headers, string ownerId, string bucketOwnerId, IdentityDirectory ids)
    {
        var canned = headers[CannedHeader].ToString();
        var hasGrants = GrantHeaders.Any(g => headers.ContainsKey(g.Header));
        if (canned.Length > 0 && hasGrants)
        {
            return AclOutcome.Fail("InvalidRequest", "Specifying both Canned ACLs and Header Grants is not allowed");
        }
        if (canned.Length > 0)
        {
            return CannedAcl.Build(canned, ownerId, bucketOwnerId) is { } acl
                ? AclOutcome.Ok(acl)
                : AclOutcome.Fail("InvalidArgument", $"Unsupported canned ACL '{canned}': use private, public-read, public-read-write, authenticated-read, bucket-owner-read or bucket-owner-full-control.");
        }
        if (!hasGrants)
        {
            return AclOutcome.None;
        }
        var grants = new List<AclGrant>();
        foreach (var (header, permission) in GrantHeaders)
        {
            foreach (var entry in headers[header].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = entry.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    return AclOutcome.Fail("InvalidArgument", $"Grant '{entry}' in {header} must be id=..., emailAddress=... or uri=....");
                }
                var type = entry[..eq].Trim();
                var value = entry[(eq + 1)..].Trim().Trim('"');
                var grantee = type.ToLowerInvariant() switch
                {
                    "id" => ResolveId(value, ids),
                    "emailaddress" => ResolveEmail(value, ids),
                    "uri" => ResolveGroup(value),
                    _ => (null, AclOutcome.Fail("InvalidArgument", $"Grantee type '{type}' in {header} is not one of id, emailAddress, uri.")),
                };
                if (grantee.Error is not null)
                {
                    return grantee.Error;
                }
                grants.Add(grantee.Grant! with { Permission = permission });
            }
        }
        return AclOutcome.Ok(new AccessControlList(ownerId, grants));
    }

    /// <summary>Parses an AccessControlPolicy body. The owner cannot be changed through an ACL, so its Owner element is not used.</summary>
    public static AclOutcome FromXml(Stream body, string ownerId, IdentityDirectory ids)
    {
        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(body, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            doc = XDocument.Load(reader);
        }
        catch (XmlException)
        {
            return AclOutcome.Malformed();
        }
        if (doc.Root?.Name.LocalName != "AccessControlPolicy" || Child(doc.Root, "AccessControlList") is not { } list)
        {
            return AclOutcome.Malformed();
        }
        var grants = new List<AclGrant>();
        foreach (var grant in list.Elements().Where(e => e.Name.LocalName == "Grant"))
        {
            var grantee = Child(grant, "Grantee");
            var permission = Child(grant, "Permission") is { } p ? AclNames.ParsePermission(p.Value) : null;
            if (grantee is null || permission is null)
            {
                return AclOutcome.Malformed();
            }
            var type = (string?)grantee.Attribute(XsiType);
            var resolved = type switch
            {
                "CanonicalUser" when Child(grantee, "ID") is { } id => ResolveId(id.Value, ids),
                "AmazonCustomerByEmail" when Child(grantee, "EmailAddress") is { } email => ResolveEmail(email.Value, ids),
                "Group" when Child(grantee, "URI") is { } uri => ResolveGroup(uri.Value),
                _ => (null, AclOutcome.Malformed()),
            };
            if (resolved.Error is not null)
            {
                return resolved.Error;
            }
            grants.Add(resolved.Grant! with { Permission = permission.Value });
        }
        return AclOutcome.Ok(new AccessControlList(ownerId, grants));
    }

    private static XElement? Child(XElement parent, string name) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static (AclGrant? Grant, AclOutcome? Error) ResolveId(string id, IdentityDirectory ids) =>
        ids.ById(id) is { } user
            ? (new AclGrant(GranteeKind.User, user.Id, AclPermission.Read), null)
            : (null, AclOutcome.Fail("InvalidArgument", "Invalid id"));

    private static (AclGrant? Grant, AclOutcome? Error) ResolveEmail(string email, IdentityDirectory ids)
    {
        if (ids.ByEmail(email, out var ambiguous) is { } user)
        {
            return (new AclGrant(GranteeKind.User, user.Id, AclPermission.Read), null);
        }
        return ambiguous
            ? (null, AclOutcome.Fail("AmbiguousGrantByEmailAddress", "The e-mail address you provided is associated with more than one account."))
            : (null, AclOutcome.Fail("UnresolvableGrantByEmailAddress", "The e-mail address you provided does not match any account on record."));
    }

    private static (AclGrant? Grant, AclOutcome? Error) ResolveGroup(string uri) =>
        AclNames.ParseGroup(uri) is { } kind
            ? (new AclGrant(kind, null, AclPermission.Read), null)
            : (null, AclOutcome.Fail("InvalidArgument", $"Group '{uri.Trim()}' is not supported: use {AclNames.AllUsersUri} or {AclNames.AuthenticatedUsersUri}."));
}
