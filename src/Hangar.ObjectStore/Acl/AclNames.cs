namespace Hangar.ObjectStore.Acl;

/// <summary>Wire names of permissions and groups, shared by the XML and header forms.</summary>
internal static class AclNames
{
    public const string AllUsersUri = "http://acs.amazonaws.com/groups/global/AllUsers";
    public const string AuthenticatedUsersUri = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

    public static string Permission(AclPermission permission) => permission switch
    {
        AclPermission.Read => "READ",
        AclPermission.Write => "WRITE",
        AclPermission.ReadAcp => "READ_ACP",
        AclPermission.WriteAcp => "WRITE_ACP",
        _ => "FULL_CONTROL",
    };

    public static AclPermission? ParsePermission(string value) => value.Trim() switch
    {
        "READ" => AclPermission.Read,
        "WRITE" => AclPermission.Write,
        "READ_ACP" => AclPermission.ReadAcp,
        "WRITE_ACP" => AclPermission.WriteAcp,
        "FULL_CONTROL" => AclPermission.FullControl,
        _ => null,
    };

    public static GranteeKind? ParseGroup(string uri) => uri.Trim() switch
    {
        AllUsersUri => GranteeKind.AllUsers,
        AuthenticatedUsersUri => GranteeKind.AuthenticatedUsers,
        _ => null,
    };

    public static string GroupUri(GranteeKind kind) => kind == GranteeKind.AllUsers ? AllUsersUri : AuthenticatedUsersUri;
}
