using Microsoft.Data.Sqlite;

namespace Hangar.ObjectStore.Storage;

/// <summary>
/// Free space on the data dir's filesystem, the reserve S3 writes may not eat into, and a spare file that
/// lets deletes commit on a disk that something else filled. The reserve keeps room for everything that
/// shares the disk (etcd preallocates 64 MiB WAL segments, PostgreSQL, SQLite's own WAL), so S3 uploads
/// are refused with an S3 error well before any of them meets ENOSPC.
/// </summary>
internal sealed class StorageSpace
{
    /// <summary>The reserve is the larger of this and <see cref="DefaultReservePercent"/> of the filesystem.</summary>
    public const long DefaultMinimumReserve = 64L * 1024 * 1024;

    public const int DefaultReservePercent = 1;

    /// <summary>
    /// A delete rewrites a handful of index pages into the WAL (tens of KiB); 4 MiB covers many deletes and a
    /// checkpoint's growth with room to spare.
    /// </summary>
    public const long SpareBytes = 4L * 1024 * 1024;

    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int SqliteFull = 13;

    private readonly string _dataDir;
    private readonly long? _reserve;
    private readonly string _sparePath;
    private readonly Lock _spareLock = new();
    private volatile bool _spareMissing = true;

    public StorageSpace(string dataDir, long? reserveBytes)
    {
        _dataDir = dataDir;
        _reserve = reserveBytes;
        _sparePath = Path.Combine(dataDir, "spare");
    }

    public string SparePath => _sparePath;

    /// <summary>The configured reserve, or the default computed from the filesystem's size.</summary>
    public long Reserve => _reserve ?? Math.Max(DefaultMinimumReserve, Read().Total / 100 * DefaultReservePercent);

    public (long Total, long Available) Read()
    {
        // DriveInfo statvfs()es the path it is given, i.e. the filesystem holding the data dir; f_bavail, so
        // root's reserved blocks are not counted as free.
        var drive = new DriveInfo(_dataDir);
        return (drive.TotalSize, drive.AvailableFreeSpace);
    }

    /// <summary>True when writing <paramref name="bytes"/> more leaves at least the reserve free.</summary>
    public bool HasRoomFor(long bytes) => Read().Available - Math.Max(0, bytes) >= Reserve;

    /// <summary>Throws the disk-full error the handlers answer with when a write of <paramref name="bytes"/> would eat into the reserve.</summary>
    public void EnsureRoomFor(long bytes)
    {
        var (_, available) = Read();
        var reserve = Reserve;
        if (available - Math.Max(0, bytes) < reserve)
        {
            throw Full($"{bytes} bytes would leave less than the {reserve} byte reserve free ({available} bytes available) on {_dataDir}");
        }
    }

    /// <summary>An IOException carrying ENOSPC, which <see cref="IsDiskFull"/> recognises like the kernel's own.</summary>
    public static IOException Full(string message) => new(message, Enospc);

    /// <summary>ENOSPC or EDQUOT from the kernel, or SQLITE_FULL, anywhere in the exception's chain.</summary>
    public static bool IsDiskFull(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is SqliteException { SqliteErrorCode: SqliteFull } || ex is IOException { HResult: Enospc or Edquot })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Deletes the spare file so a delete can commit; false when there was none to give.</summary>
    public bool ReleaseSpare()
    {
        lock (_spareLock)
        {
            if (!File.Exists(_sparePath))
            {
                return false;
            }
            File.Delete(_sparePath);
            _spareMissing = true;
            return true;
        }
    }

    /// <summary>
    /// Makes the spare file again once the disk has room for it twice over, so taking it back never fills the
    /// disk. Crash-safe: a missing or short spare is simply made again at the next call.
    /// </summary>
    public void RestoreSpare()
    {
        if (!_spareMissing)
        {
            return;
        }
        lock (_spareLock)
        {
            if (!_spareMissing)
            {
                return;
            }
            if (File.Exists(_sparePath) && new FileInfo(_sparePath).Length == SpareBytes)
            {
                _spareMissing = false;
                return;
            }
            if (Read().Available < 2 * SpareBytes)
            {
                return;
            }
            try
            {
                // Zeros written, not only fallocated: a filesystem without fallocate still gives real blocks.
                using (var file = new FileStream(_sparePath, FileMode.Create, FileAccess.Write, FileShare.None, 0))
                {
                    var zeros = new byte[64 * 1024];
                    for (long written = 0; written < SpareBytes; written += zeros.Length)
                    {
                        file.Write(zeros);
                    }
                    file.Flush(flushToDisk: true);
                }
                _spareMissing = false;
            }
            catch (IOException)
            {
                TryDelete(_sparePath);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
