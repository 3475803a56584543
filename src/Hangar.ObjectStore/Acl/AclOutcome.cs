namespace Hangar.ObjectStore.Acl;

/// <summary>
/// What a request asked for: an ACL, nothing (<see cref="Acl"/> null, no error: the caller's default applies),
/// or an S3 error code and message. A value, since bad ACLs are ordinary client mistakes.
/// </summary>
internal sealed record AclOutcome(AccessControlList? Acl, string? ErrorCode, string? ErrorMessage)
{
    public static readonly AclOutcome None = new(null, null, null);

    public static AclOutcome Ok(AccessControlList acl) => new(acl, null, null);

    public static AclOutcome Fail(string code, string message) => new(null, code, message);

    public static AclOutcome Malformed() =>
        Fail("MalformedACLError", "The XML you provided was not well-formed or did not validate against our published schema.");
}
