namespace Hangar.State;

/// <summary>
/// An all-or-nothing write: every condition must hold or nothing is applied.
/// A condition with <c>ExpectedModRevision == 0</c> means "the key does not exist".
/// </summary>
public sealed record StoreTxn(IReadOnlyList<StoreCondition> Conditions, IReadOnlyList<StoreOp> Ops);

public sealed record StoreCondition(string Key, long ExpectedModRevision);

public abstract record StoreOp(string Key);

public sealed record PutOp(string Key, byte[] Value) : StoreOp(Key);

public sealed record DeleteOp(string Key) : StoreOp(Key);

/// <summary>Deletes every key that starts with <see cref="StoreOp.Key"/>.</summary>
public sealed record DeletePrefixOp(string Key) : StoreOp(Key);
