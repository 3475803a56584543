namespace Hangar.State;

/// <summary>
/// The resource store: etcd in production (<see cref="Etcd.EtcdStore"/>), memory in unit tests
/// (<see cref="InMemory.InMemoryStore"/>). Both must behave alike; the shared contract tests run on both.
/// </summary>
public interface IKeyValueStore
{
    Task<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every key starting with <paramref name="prefix"/>, ordered by key.</summary>
    Task<IReadOnlyList<StoreEntry>> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="txn"/> atomically. Returns the new store revision, or null when a condition failed.</summary>
    Task<long?> TryCommitAsync(StoreTxn txn, CancellationToken cancellationToken);

    /// <summary>
    /// Changes under <paramref name="prefix"/> after <paramref name="afterRevision"/>, until cancelled.
    /// Throws when the store cannot be reached; callers resync with a list and watch again.
    /// </summary>
    IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, CancellationToken cancellationToken);

    /// <summary>The store's current revision (for starting a watch right after a list).</summary>
    Task<long> RevisionAsync(CancellationToken cancellationToken);

    Task<StoreHealth> HealthAsync(CancellationToken cancellationToken);
}
