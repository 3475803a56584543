using System.Collections.Concurrent;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Hangar.ObjectStore.Storage;

/// <summary>
/// Per-bucket SQLite index (index.db): every version of every key, in-progress multipart uploads and
/// their parts. Keys are stored as UTF-8 BLOBs so SQLite's memcmp order is S3's order and a prefix
/// listing is a range scan. Reads use a pool of connections (WAL lets them run beside the writer);
/// writes go through the group-commit loop in BucketIndex.Writer.cs.
/// </summary>
internal sealed partial class BucketIndex : IAsyncDisposable
{
    internal const string Columns = "key, seq, version_id, is_latest, delete_marker, blob, segments, size, etag, modified, headers, checksum_alg, checksum";

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly ConcurrentBag<ReadConnection> _readers = new();
    private readonly StorageSpace? _space;
    private long _seq;

    public BucketIndex(string path, TimeProvider time, StorageSpace? space = null)
    {
        _path = path;
        _time = time;
        _space = space;
        var writer = Sqlite.Open(path);
        _writer = writer;
        Sqlite.Execute(writer, """
            CREATE TABLE IF NOT EXISTS versions(
              key BLOB NOT NULL, seq INTEGER NOT NULL, version_id TEXT NOT NULL, is_latest INTEGER NOT NULL,
              delete_marker INTEGER NOT NULL, blob TEXT, segments TEXT, size INTEGER NOT NULL, etag TEXT NOT NULL,
              modified INTEGER NOT NULL, headers TEXT NOT NULL, checksum_alg TEXT, checksum TEXT,
              PRIMARY KEY(key, seq)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS versions_latest ON versions(key) WHERE is_latest = 1;
            CREATE INDEX IF NOT EXISTS versions_id ON versions(key, version_id);
            CREATE TABLE IF NOT EXISTS uploads(
              upload_id TEXT PRIMARY KEY, key BLOB NOT NULL, initiated INTEGER NOT NULL, headers TEXT NOT NULL, checksum_alg TEXT);
            CREATE INDEX IF NOT EXISTS uploads_key ON uploads(key, upload_id);
            CREATE TABLE IF NOT EXISTS parts(
              upload_id TEXT NOT NULL, part_number INTEGER NOT NULL, blob TEXT NOT NULL, size INTEGER NOT NULL,
              etag TEXT NOT NULL, modified INTEGER NOT NULL, PRIMARY KEY(upload_id, part_number)) WITHOUT ROWID;
            """);
        using (var command = Sqlite.Command(writer, "SELECT coalesce(max(seq), 0) FROM versions"))
        {
            _seq = (long)command.ExecuteScalar()!;
        }
        _writerThread = new Thread(WriterLoop) { IsBackground = true, Name = "s3-index-writer" };
        _writerThread.Start();
    }

    /// <summary>Every blob id an index row refers to, for the start-up sweep.</summary>
    public HashSet<string> ReferencedBlobs()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        using var reader = Rent();
        using (var command = Sqlite.Command(reader.Connection, "SELECT blob, segments FROM versions WHERE delete_marker = 0"))
        using (var rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                var row = new ObjectVersion("", 0, "", false, false, rows.IsDBNull(0) ? null : rows.GetString(0),
                    rows.IsDBNull(1) ? null : rows.GetString(1), 0, "", 0, "", null, null);
                foreach (var id in row.BlobIds())
                {
                    set.Add(id);
                }
            }
        }
        using (var command = Sqlite.Command(reader.Connection, "SELECT blob FROM parts"))
        using (var rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                set.Add(rows.GetString(0));
            }
        }
        return set;
    }

    /// <summary>
    /// Latest row of a key, through a cache for the GET hot path. An entry is trusted only if no commit
    /// happened since it was read (its generation equals the current one), so a write never serves stale
    /// data; a write-heavy bucket simply misses the cache.
    /// </summary>
    public ObjectVersion? GetLatest(string key)
    {
        var generation = Volatile.Read(ref _generation);
        if (_latestCache.TryGetValue(key, out var cached) && cached.Generation == generation)
        {
            return cached.Version;
        }
        var version = ReadLatest(key);
        if (_latestCache.Count >= MaxCachedKeys)
        {
            _latestCache.Clear();
        }
        _latestCache[key] = new CachedLatest(generation, version);
        return version;
    }

    private const int MaxCachedKeys = 65536;
    private readonly ConcurrentDictionary<string, CachedLatest> _latestCache = new(StringComparer.Ordinal);
    private long _generation;

    private sealed record CachedLatest(long Generation, ObjectVersion? Version);

    private ObjectVersion? ReadLatest(string key)
    {
        using var reader = Rent();
        var command = reader.Latest;
        command.Parameters[0].Value = Encoding.UTF8.GetBytes(key);
        using var rows = command.ExecuteReader();
        return rows.Read() ? ReadVersion(rows) : null;
    }

    public ObjectVersion? GetVersion(string key, string versionId)
    {
        using var reader = Rent();
        using var command = Sqlite.Command(reader.Connection,
            $"SELECT {Columns} FROM versions WHERE key = $key AND version_id = $v");
        command.Parameters.AddWithValue("$key", Encoding.UTF8.GetBytes(key));
        command.Parameters.AddWithValue("$v", versionId);
        using var rows = command.ExecuteReader();
        return rows.Read() ? ReadVersion(rows) : null;
    }

    /// <summary>Current (non-deleted) objects with key in [from, to), or (from, to) when <paramref name="exclusive"/>.</summary>
    public List<ObjectVersion> ListLatest(byte[] from, bool exclusive, byte[]? to, int limit)
    {
        using var reader = Rent();
        using var command = Sqlite.Command(reader.Connection,
            $"SELECT {Columns} FROM versions WHERE is_latest = 1 AND delete_marker = 0 AND key {(exclusive ? ">" : ">=")} $from"
            + (to is null ? "" : " AND key < $to") + " ORDER BY key LIMIT $limit");
        command.Parameters.AddWithValue("$from", from);
        if (to is not null)
        {
            command.Parameters.AddWithValue("$to", to);
        }
        command.Parameters.AddWithValue("$limit", limit);
        return ReadAll(command);
    }

    /// <summary>All versions in key order, newest first within a key, starting after (key, seq) when given.</summary>
    public List<ObjectVersion> ListVersions(byte[] from, long? afterSeq, bool exclusiveKey, byte[]? to, int limit)
    {
        using var reader = Rent();
        var where = afterSeq is not null
            ? "((key = $from AND seq < $seq) OR key > $from)"
            : exclusiveKey ? "key > $from" : "key >= $from";
        using var command = Sqlite.Command(reader.Connection,
            $"SELECT {Columns} FROM versions WHERE {where}" + (to is null ? "" : " AND key < $to") + " ORDER BY key, seq DESC LIMIT $limit");
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$seq", afterSeq ?? 0);
        if (to is not null)
        {
            command.Parameters.AddWithValue("$to", to);
        }
        command.Parameters.AddWithValue("$limit", limit);
        return ReadAll(command);
    }

    public (long Objects, long Bytes) Stats()
    {
        using var reader = Rent();
        using var command = Sqlite.Command(reader.Connection,
            "SELECT count(*), coalesce(sum(size), 0) FROM versions WHERE delete_marker = 0");
        using var rows = command.ExecuteReader();
        rows.Read();
        return (rows.GetInt64(0), rows.GetInt64(1));
    }

    /// <summary>
    /// True when no version (object or delete marker) is left. Pending multipart uploads do not count:
    /// S3 deletes a bucket together with its incomplete uploads, which live in the bucket's directory.
    /// </summary>
    public bool IsEmpty()
    {
        using var reader = Rent();
        using var command = Sqlite.Command(reader.Connection, "SELECT count(*) FROM (SELECT 1 FROM versions LIMIT 1)");
        return (long)command.ExecuteScalar()! == 0;
    }

    internal static ObjectVersion ReadVersion(SqliteDataReader rows) => new(
        Encoding.UTF8.GetString((byte[])rows.GetValue(0)),
        rows.GetInt64(1),
        rows.GetString(2),
        rows.GetInt64(3) != 0,
        rows.GetInt64(4) != 0,
        rows.IsDBNull(5) ? null : rows.GetString(5),
        rows.IsDBNull(6) ? null : rows.GetString(6),
        rows.GetInt64(7),
        rows.GetString(8),
        rows.GetInt64(9),
        rows.GetString(10),
        rows.IsDBNull(11) ? null : rows.GetString(11),
        rows.IsDBNull(12) ? null : rows.GetString(12));

    private static List<ObjectVersion> ReadAll(SqliteCommand command)
    {
        var list = new List<ObjectVersion>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            list.Add(ReadVersion(rows));
        }
        return list;
    }

    private ReadLease Rent()
    {
        if (!_readers.TryTake(out var connection))
        {
            connection = new ReadConnection(Sqlite.Open(_path));
        }
        return new ReadLease(this, connection);
    }

    private sealed class ReadConnection
    {
        public ReadConnection(SqliteConnection connection)
        {
            Connection = connection;
            Latest = Sqlite.Command(connection, $"SELECT {Columns} FROM versions WHERE key = $key AND is_latest = 1");
            Latest.Parameters.Add("$key", SqliteType.Blob);
            Latest.Prepare();
        }

        public SqliteConnection Connection { get; }

        public SqliteCommand Latest { get; }
    }

    private readonly struct ReadLease(BucketIndex owner, ReadConnection connection) : IDisposable
    {
        public SqliteConnection Connection => connection.Connection;

        public SqliteCommand Latest => connection.Latest;

        public void Dispose()
        {
            if (owner._disposed)
            {
                connection.Connection.Dispose();
                return;
            }
            owner._readers.Add(connection);
        }
    }
}
