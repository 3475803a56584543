namespace Hangar.ObjectStore.Policy;

/// <summary>One operator/key test of a statement's Condition block; operator and key as written, values any of which may match.</summary>
internal sealed record PolicyCondition(string Operator, string Key, IReadOnlyList<string> Values);
