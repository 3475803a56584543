namespace Hangar.ObjectStore.Acl;

/// <summary>
/// Who is asking, as ACLs see it. <see cref="Id"/> is null for anonymous requests. A scoped key acts as the
/// owner of the buckets it lists and is outside every other bucket (<see cref="InScope"/> false); a read-only
/// key never gets WRITE or WRITE_ACP whatever an ACL grants.
/// </summary>
internal sealed record Requester(string? Id, bool Authenticated, bool ReadOnly, bool InScope)
{
    public static readonly Requester Anonymous = new(null, false, false, true);

    public bool IsOwner(string ownerId) => InScope && Id is not null && string.Equals(Id, ownerId, StringComparison.Ordinal);
}
