namespace Hangar.ObjectStore.Acl;

/// <summary>An S3 account as ACLs and listings show it: a 64-hex canonical id, a display name, an e-mail for grants.</summary>
internal sealed record CanonicalUser(string Id, string DisplayName, string? Email);
