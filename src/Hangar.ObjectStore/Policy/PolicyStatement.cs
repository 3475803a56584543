namespace Hangar.ObjectStore.Policy;

/// <summary>
/// A validated statement. <see cref="Principals"/> holds canonical ids and access key ids (from
/// arn:aws:iam::ACCOUNT:user/KEYID); <see cref="AnyPrincipal"/> is "*" or {"AWS": "*"}.
/// </summary>
internal sealed record PolicyStatement(
    string? Sid,
    bool Allow,
    bool AnyPrincipal,
    IReadOnlyList<string> Principals,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> Resources,
    IReadOnlyList<PolicyCondition> Conditions);
