using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Hangar.ObjectStore.Storage;

/// <summary>
/// Group commit: writes queue here and one loop applies everything queued in a single transaction,
/// fsyncs the blob directories those writes renamed into, commits (one WAL fsync), then completes them.
/// Concurrent PUTs share the fsync cost, and SQLite's single-writer rule is respected by construction.
/// The loop owns a dedicated thread: it blocks in fsync, which must not tie up thread-pool threads.
/// </summary>
internal sealed partial class BucketIndex
{
    private const int MaxBatch = 256;

    private readonly BlockingCollection<PendingWrite> _queue = new();
    private readonly Thread _writerThread;
    private volatile bool _disposed;

    /// <summary>Blobs removed by committed writes; the owner deletes the files after the commit.</summary>
    public Action<IReadOnlyList<string>>? DeleteBlobs { get; set; }

    public Task<T> WriteAsync<T>(Func<WriteContext, T> apply, string? syncDirectory)
    {
        var pending = new PendingWrite<T>(apply, syncDirectory);
        try
        {
            _queue.Add(pending);
        }
        catch (InvalidOperationException)
        {
            return Task.FromException<T>(new ObjectDisposedException(nameof(BucketIndex)));
        }
        return pending.Task;
    }

    private void WriterLoop()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        var dirs = new HashSet<string>(StringComparer.Ordinal);
        while (_queue.TryTake(out var first, Timeout.Infinite))
        {
            batch.Clear();
            dirs.Clear();
            var next = first;
            while (true)
            {
                batch.Add(next);
                if (next.SyncDirectory is not null)
                {
                    dirs.Add(next.SyncDirectory);
                }
                if (batch.Count >= MaxBatch || !_queue.TryTake(out next))
                {
                    break;
                }
            }
            var context = new WriteContext(this);
            try
            {
                foreach (var dir in dirs)
                {
                    DirectorySync.Fsync(dir);
                }
                using var transaction = _writer.BeginTransaction();
                context.Transaction = transaction;
                foreach (var item in batch)
                {
                    item.Apply(context);
                }
                transaction.Commit();
                // After the commit, so a reader that cached a row before it sees a newer generation.
                Interlocked.Increment(ref _generation);
            }
            catch (Exception ex)
            {
                foreach (var item in batch)
                {
                    item.Fail(ex);
                }
                continue;
            }
            if (context.BlobsToDelete.Count > 0)
            {
                DeleteBlobs?.Invoke(context.BlobsToDelete);
            }
            foreach (var item in batch)
            {
                item.Complete();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.CompleteAdding();
        await Task.Run(_writerThread.Join).ConfigureAwait(false);
        _disposed = true;
        while (_readers.TryTake(out var reader))
        {
            reader.Connection.Dispose();
        }
        _writer.Dispose();
    }

    internal sealed class WriteContext(BucketIndex owner)
    {
        public SqliteConnection Connection => owner._writer;

        public SqliteTransaction? Transaction { get; set; }

        public List<string> BlobsToDelete { get; } = new();

        public long NextSeq() => ++owner._seq;

        public SqliteCommand Command(string sql) => Sqlite.Command(owner._writer, sql, Transaction);
    }

    private abstract class PendingWrite(string? syncDirectory)
    {
        public string? SyncDirectory { get; } = syncDirectory;

        public abstract void Apply(WriteContext context);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class PendingWrite<T>(Func<WriteContext, T> apply, string? syncDirectory) : PendingWrite(syncDirectory)
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _tcs.Task;

        public override void Apply(WriteContext context) => _result = apply(context);

        public override void Complete() => _tcs.TrySetResult(_result!);

        public override void Fail(Exception exception) => _tcs.TrySetException(exception);
    }
}
