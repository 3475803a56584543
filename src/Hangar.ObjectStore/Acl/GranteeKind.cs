namespace Hangar.ObjectStore.Acl;

/// <summary>Who a grant names. E-mail grants are resolved to a canonical user when the ACL is written.</summary>
internal enum GranteeKind
{
    User,
    AllUsers,
    AuthenticatedUsers,
}
