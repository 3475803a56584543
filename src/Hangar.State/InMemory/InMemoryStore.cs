using System.Runtime.CompilerServices;

namespace Hangar.State.InMemory;

/// <summary>
/// <see cref="IKeyValueStore"/> in memory with etcd's semantics — one revision per write txn, mod and create
/// revisions, prefix ranges in UTF-8 byte order, watches that replay history from a revision — for unit tests.
/// Keeps every event since the last <see cref="Compact"/>; it is not meant for long-running processes.
/// </summary>
public sealed class InMemoryStore : IKeyValueStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, StoreEntry> _entries = new(Utf8KeyComparer.Instance);
    private readonly List<WatchEvent> _history = [];
    private readonly List<InMemoryWatcher> _watchers = [];
    private long _revision = 1;
    private long _compactRevision;

    public Task<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        lock (_gate)
        {
            return Task.FromResult(_entries.TryGetValue(key, out var entry) ? Copy(entry) : null);
        }
    }

    public Task<IReadOnlyList<StoreEntry>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_gate)
        {
            // A scan of every key: unit tests hold few keys, and this keeps the ordering in one comparer.
            IReadOnlyList<StoreEntry> entries = [.. _entries.Values.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(Copy)];
            return Task.FromResult(entries);
        }
    }

    public Task<long?> TryCommitAsync(StoreTxn txn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(txn);
        Validate(txn);
        lock (_gate)
        {
            foreach (var condition in txn.Conditions)
            {
                var current = _entries.TryGetValue(condition.Key, out var entry) ? entry.ModRevision : 0;
                if (current != condition.ExpectedModRevision)
                {
                    return Task.FromResult<long?>(null);
                }
            }

            var revision = _revision + 1;
            var changes = new List<WatchEvent>();
            foreach (var op in txn.Ops)
            {
                Apply(op, revision, changes);
            }

            // Like etcd, a txn that changes nothing (deleting absent keys) does not advance the revision.
            if (changes.Count > 0)
            {
                _revision = revision;
                _history.AddRange(changes);
                foreach (var watcher in _watchers)
                {
                    changes.ForEach(watcher.Offer);
                }
            }

            return Task.FromResult<long?>(_revision);
        }
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        string prefix,
        long afterRevision,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(afterRevision);
        var watcher = new InMemoryWatcher(prefix);
        lock (_gate)
        {
            if (afterRevision + 1 < _compactRevision)
            {
                throw new InvalidOperationException(
                    $"Watch on '{prefix}' after revision {afterRevision}: history before {_compactRevision} has been compacted.");
            }

            // Replaying history and registering under one lock means no commit falls between the two.
            foreach (var past in _history.Where(e => e.ModRevision > afterRevision))
            {
                watcher.Offer(past);
            }

            _watchers.Add(watcher);
        }

        try
        {
            await foreach (var watchEvent in watcher.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return Copy(watchEvent);
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(watcher);
            }
        }
    }

    public Task<long> RevisionAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_revision);
        }
    }

    public Task<StoreHealth> HealthAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new StoreHealth(true, "memory", null, [], null));

    /// <summary>
    /// Drops history before <paramref name="revision"/>, as etcd's compaction does, so tests can drive a watcher
    /// into the "history is gone, resync" path.
    /// </summary>
    public void Compact(long revision)
    {
        lock (_gate)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(revision, _revision);
            if (revision <= _compactRevision)
            {
                return;
            }

            _compactRevision = revision;
            _history.RemoveAll(e => e.ModRevision < revision);
        }
    }

    private void Apply(StoreOp op, long revision, List<WatchEvent> changes)
    {
        switch (op)
        {
            case PutOp put:
                var createRevision = _entries.TryGetValue(put.Key, out var existing) ? existing.CreateRevision : revision;
                var value = put.Value.ToArray();
                _entries[put.Key] = new StoreEntry(put.Key, value, revision, createRevision);
                changes.Add(new WatchEvent(WatchEventKind.Put, put.Key, value, revision));
                break;
            case DeleteOp delete:
                if (_entries.Remove(delete.Key))
                {
                    changes.Add(new WatchEvent(WatchEventKind.Delete, delete.Key, null, revision));
                }

                break;
            case DeletePrefixOp deletePrefix:
                var doomed = _entries.Keys.Where(k => k.StartsWith(deletePrefix.Key, StringComparison.Ordinal)).ToList();
                foreach (var key in doomed)
                {
                    _entries.Remove(key);
                    changes.Add(new WatchEvent(WatchEventKind.Delete, key, null, revision));
                }

                break;
            default:
                throw new ArgumentException($"Unsupported store operation {op.GetType().Name}.", nameof(op));
        }
    }

    /// <summary>The checks etcd makes on a txn before applying it, so that a test passing here does not fail against etcd.</summary>
    private static void Validate(StoreTxn txn)
    {
        foreach (var condition in txn.Conditions)
        {
            ArgumentException.ThrowIfNullOrEmpty(condition.Key, nameof(txn));
        }

        var puts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var op in txn.Ops)
        {
            if (op is PutOp or DeleteOp)
            {
                ArgumentException.ThrowIfNullOrEmpty(op.Key, nameof(txn));
            }

            if (op is PutOp && !puts.Add(op.Key))
            {
                throw new ArgumentException($"duplicate key given in txn request: '{op.Key}'", nameof(txn));
            }
        }

        foreach (var op in txn.Ops)
        {
            var overlaps = op switch
            {
                DeleteOp delete => puts.Contains(delete.Key),
                DeletePrefixOp deletePrefix => puts.Any(k => k.StartsWith(deletePrefix.Key, StringComparison.Ordinal)),
                _ => false,
            };
            if (overlaps)
            {
                throw new ArgumentException($"duplicate key given in txn request: a put and a delete of '{op.Key}'", nameof(txn));
            }
        }
    }

    private static StoreEntry Copy(StoreEntry entry) => entry with { Value = entry.Value.ToArray() };

    private static WatchEvent Copy(WatchEvent watchEvent) => watchEvent with { Value = watchEvent.Value?.ToArray() };
}
