namespace Hangar.ObjectStore.Policy;

internal enum PolicyDecision
{
    /// <summary>No statement applies: ACLs and key scoping decide.</summary>
    None,
    Allow,
    Deny,
}
