using System.Security.Cryptography;

namespace Hangar.ObjectStore.Storage;

/// <summary>
/// Object bodies as files named by random id, never by key, so no key can escape the data dir.
/// A body is written under tmp/, fsynced, then renamed into blobs/; the index commit that follows
/// is what makes it visible. Files in tmp/ at start belong to writes that never finished.
/// One flat directory per bucket (ext4 indexes large directories): the group commit then fsyncs a
/// single directory per batch instead of one per distinct subdirectory.
/// </summary>
internal sealed class BlobStore
{
    private readonly string _blobsDir;
    private readonly string _tmpDir;
    private readonly StorageSpace? _space;

    public BlobStore(string bucketDir, string tmpDir, StorageSpace? space = null)
    {
        _space = space;
        _blobsDir = Path.Combine(bucketDir, "blobs");
        _tmpDir = tmpDir;
        Directory.CreateDirectory(_blobsDir);
        Directory.CreateDirectory(_tmpDir);
    }

    public string BlobsDir => _blobsDir;

    public string NewTempPath() => Path.Combine(_tmpDir, NewId() + ".tmp");

    /// <summary>
    /// A temp file for a body of <paramref name="size"/> bytes (0 when unknown), refused with ENOSPC when
    /// it would eat into the reserve; the space is allocated up front, so a known size cannot run out halfway.
    /// </summary>
    public FileStream CreateBodyFile(string path, long size)
    {
        _space?.EnsureRoomFor(size);
        try
        {
            return CreateTempFile(path, size);
        }
        catch (IOException ex) when (size > 0 && _space is not null && !StorageSpace.IsDiskFull(ex) && _space.Read().Available < size)
        {
            // .NET reports a failed preallocation (fallocate ENOSPC) as a plain IOException, file already removed.
            throw new IOException(ex.Message, StorageSpace.Full(ex.Message));
        }
    }

    public static FileStream CreateTempFile(string path, long preallocate) =>
        new(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
            PreallocationSize = preallocate > 0 ? preallocate : 0,
        });

    /// <summary>Moves an fsynced temp file into place; returns its id and the directory that now needs an fsync.</summary>
    public (string BlobId, string Directory) Commit(string tempPath)
    {
        var id = NewId();
        File.Move(tempPath, Path.Combine(_blobsDir, id));
        return (id, _blobsDir);
    }

    public string PathOf(string blobId) => Path.Combine(_blobsDir, blobId);

    public void Delete(string blobId)
    {
        try
        {
            File.Delete(PathOf(blobId));
        }
        catch (IOException)
        {
            // A leftover is harmless: the start-up sweep removes unreferenced blobs.
        }
    }

    /// <summary>Deletes blobs no index row refers to: left by a crash between rename and index commit.</summary>
    public int Sweep(IReadOnlySet<string> referenced)
    {
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(_blobsDir, "*", SearchOption.AllDirectories))
        {
            if (!referenced.Contains(Path.GetFileName(file)))
            {
                File.Delete(file);
                removed++;
            }
        }
        return removed;
    }

    public static void DeleteTempFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
