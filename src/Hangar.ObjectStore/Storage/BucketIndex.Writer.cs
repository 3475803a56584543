using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Hangar.ObjectStore.Storage;

/// <summary>
/// Group commit: writes queue here and one loop applies everything queued in a single transaction,
/// fsyncs the blob directories those writes renamed into, commits (one WAL fsync), then completes them.
/// Concurrent PUTs share the fsync cost, and SQLite's single-writer rule is respected by construction.
/// The loop owns a dedicated thread: it blocks in fsync, which must not tie up thread-pool threads.
/// </summary>
/// <remarks>
/// Transactions are plain BEGIN/COMMIT/ROLLBACK statements, not SqliteTransaction: when SQLite rolls a
/// transaction back by itself (SQLITE_FULL does), SqliteTransaction's own ROLLBACK fails ("no transaction
/// is active") and leaves the connection marked as inside a transaction for good, so every later write
/// failed with "does not support nested transactions". Here a failed batch is rolled back only if SQLite
/// still has it open, and a connection that cannot roll back is replaced.
/// </remarks>
internal sealed partial class BucketIndex
{
    private const int MaxBatch = 256;

    private readonly BlockingCollection<PendingWrite> _queue = new();
    private readonly Thread _writerThread;
    private SqliteConnection? _writer;
    private volatile bool _disposed;

    /// <summary>Blobs removed by committed writes; the owner deletes the files after the commit.</summary>
    public Action<IReadOnlyList<string>>? DeleteBlobs { get; set; }

    /// <param name="newBlobs">Blobs this write brings into the index: deleted again when it fails, as nothing refers to them.</param>
    /// <param name="freesSpace">A delete: on a full disk it may use the spare file to commit.</param>
    public Task<T> WriteAsync<T>(Func<WriteContext, T> apply, string? syncDirectory, IReadOnlyList<string>? newBlobs = null, bool freesSpace = false)
    {
        var pending = new PendingWrite<T>(apply, syncDirectory, newBlobs, freesSpace);
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

    /// <summary>
    /// A failed task when the disk is inside the reserve, else null: writes that only add index rows
    /// (starting or completing a multipart upload) are refused like uploads, so deletes keep that room.
    /// </summary>
    private Task<T>? RefusedWhenFull<T>()
    {
        if (_space is null || _space.HasRoomFor(0))
        {
            return null;
        }
        return Task.FromException<T>(StorageSpace.Full($"less than the {_space.Reserve} byte reserve is free"));
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
            var failure = Commit(batch, dirs, context);
            if (failure is not null && StorageSpace.IsDiskFull(failure) && batch.Exists(w => w.FreesSpace) && _space?.ReleaseSpare() == true)
            {
                // Deletes must work on a full disk, or space could never be freed through S3: the spare file
                // gives SQLite room for their WAL frames. Other writes in the batch fail as they would have.
                Fail(batch.Where(w => !w.FreesSpace).ToList(), failure, deleteNewBlobs: true);
                batch.RemoveAll(w => !w.FreesSpace);
                context = new WriteContext(this);
                failure = Commit(batch, dirs, context);
            }
            if (failure is not null)
            {
                // A failed COMMIT other than for lack of space (an fsync error) may still have reached the
                // WAL; its blobs are then left for the start-up sweep rather than deleted while maybe referenced.
                Fail(batch, failure, deleteNewBlobs: !context.Committing || StorageSpace.IsDiskFull(failure));
                continue;
            }
            if (context.BlobsToDelete.Count > 0)
            {
                DeleteBlobs?.Invoke(context.BlobsToDelete);
            }
            _space?.RestoreSpare();
            foreach (var item in batch)
            {
                item.Complete();
            }
        }
    }

    /// <summary>Applies the batch in one transaction; the exception when it did not commit, after rolling back.</summary>
    private Exception? Commit(List<PendingWrite> batch, HashSet<string> dirs, WriteContext context)
    {
        try
        {
            foreach (var dir in dirs)
            {
                DirectorySync.Fsync(dir);
            }
            // A connection replaced after a failure is opened again here, so one bad moment does not stop the bucket.
            _writer ??= Sqlite.Open(_path);
            Sqlite.Execute(_writer, "BEGIN IMMEDIATE");
            foreach (var item in batch)
            {
                item.Apply(context);
            }
            context.Committing = true;
            Sqlite.Execute(_writer, "COMMIT");
            // After the commit, so a reader that cached a row before it sees a newer generation.
            Interlocked.Increment(ref _generation);
            return null;
        }
        catch (Exception ex)
        {
            RollBack();
            return ex;
        }
    }

    private void RollBack()
    {
        if (_writer is null)
        {
            return;
        }
        try
        {
            if (SQLitePCL.raw.sqlite3_get_autocommit(_writer.Handle) == 0)
            {
                Sqlite.Execute(_writer, "ROLLBACK");
            }
        }
        catch (SqliteException)
        {
            try
            {
                _writer.Dispose();
            }
            catch (SqliteException)
            {
            }
            _writer = null;
        }
    }

    private void Fail(List<PendingWrite> writes, Exception failure, bool deleteNewBlobs)
    {
        if (deleteNewBlobs)
        {
            var orphans = writes.Where(w => w.NewBlobs is not null).SelectMany(w => w.NewBlobs!).ToList();
            if (orphans.Count > 0)
            {
                DeleteBlobs?.Invoke(orphans);
            }
        }
        foreach (var item in writes)
        {
            item.Fail(failure);
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
        _writer?.Dispose();
    }

    internal sealed class WriteContext(BucketIndex owner)
    {
        public SqliteConnection Connection => owner._writer!;

        /// <summary>Set once COMMIT was sent: a failure after it is not known to have left nothing behind.</summary>
        public bool Committing { get; set; }

        public List<string> BlobsToDelete { get; } = new();

        public long NextSeq() => ++owner._seq;

        public SqliteCommand Command(string sql) => Sqlite.Command(owner._writer!, sql);
    }

    private abstract class PendingWrite(string? syncDirectory, IReadOnlyList<string>? newBlobs, bool freesSpace)
    {
        public string? SyncDirectory { get; } = syncDirectory;

        public IReadOnlyList<string>? NewBlobs { get; } = newBlobs;

        public bool FreesSpace { get; } = freesSpace;

        public abstract void Apply(WriteContext context);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class PendingWrite<T>(Func<WriteContext, T> apply, string? syncDirectory, IReadOnlyList<string>? newBlobs, bool freesSpace)
        : PendingWrite(syncDirectory, newBlobs, freesSpace)
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _tcs.Task;

        public override void Apply(WriteContext context) => _result = apply(context);

        public override void Complete() => _tcs.TrySetResult(_result!);

        public override void Fail(Exception exception) => _tcs.TrySetException(exception);
    }
}
