namespace Hangar.State;

public static class KeyValueStoreExtensions
{
    /// <summary>Creates <paramref name="key"/> only if absent; false when it exists.</summary>
    public static async Task<bool> CreateAsync(this IKeyValueStore store, string key, byte[] value, CancellationToken cancellationToken) =>
        await store.TryCommitAsync(new StoreTxn([new StoreCondition(key, 0)], [new PutOp(key, value)]), cancellationToken) is not null;

    /// <summary>Replaces <paramref name="key"/> only if its revision is still <paramref name="expectedModRevision"/>.</summary>
    public static async Task<bool> UpdateAsync(this IKeyValueStore store, string key, byte[] value, long expectedModRevision, CancellationToken cancellationToken) =>
        await store.TryCommitAsync(new StoreTxn([new StoreCondition(key, expectedModRevision)], [new PutOp(key, value)]), cancellationToken) is not null;

    public static async Task PutAsync(this IKeyValueStore store, string key, byte[] value, CancellationToken cancellationToken) =>
        await store.TryCommitAsync(new StoreTxn([], [new PutOp(key, value)]), cancellationToken);

    public static async Task DeleteAsync(this IKeyValueStore store, string key, CancellationToken cancellationToken) =>
        await store.TryCommitAsync(new StoreTxn([], [new DeleteOp(key)]), cancellationToken);

    public static async Task DeletePrefixAsync(this IKeyValueStore store, string prefix, CancellationToken cancellationToken) =>
        await store.TryCommitAsync(new StoreTxn([], [new DeletePrefixOp(prefix)]), cancellationToken);
}
