namespace Hangar.ObjectStore.Acl;

/// <summary>One grant; <see cref="UserId"/> is the canonical id when <see cref="Kind"/> is a user.</summary>
internal sealed record AclGrant(GranteeKind Kind, string? UserId, AclPermission Permission);
