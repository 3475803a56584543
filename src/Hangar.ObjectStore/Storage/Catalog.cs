using System.Text.Json;
using Hangar.ObjectStore.Acl;
using Hangar.ObjectStore.Auth;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Lifecycle;
using Hangar.ObjectStore.Policy;
using Hangar.ObjectStore.Shadow;
using Microsoft.Data.Sqlite;

namespace Hangar.ObjectStore.Storage;

/// <summary>
/// The durable list of buckets and access keys (catalog.db). Writes are rare (admin API, CreateBucket,
/// bucket settings), so one connection under a lock; reads go to the in-memory <see cref="Snapshot"/>.
/// </summary>
internal sealed class Catalog : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();
    private volatile CatalogSnapshot _snapshot;

    public Catalog(string path)
    {
        _connection = Sqlite.Open(path);
        Sqlite.Execute(_connection, """
            CREATE TABLE IF NOT EXISTS buckets(
              name TEXT PRIMARY KEY, id TEXT NOT NULL, public INTEGER NOT NULL, owner TEXT,
              index_document TEXT, error_document TEXT, shadow TEXT, versioning INTEGER NOT NULL,
              cors TEXT, created INTEGER NOT NULL, acl TEXT);
            CREATE TABLE IF NOT EXISTS keys(
              id TEXT PRIMARY KEY, secret TEXT NOT NULL, buckets TEXT NOT NULL, read_only INTEGER NOT NULL);
            """);
        AddColumnIfMissing("buckets", "acl", "TEXT");
        AddColumnIfMissing("buckets", "lifecycle", "TEXT");
        AddColumnIfMissing("buckets", "policy", "TEXT");
        AddColumnIfMissing("buckets", "encryption", "TEXT");
        AddColumnIfMissing("buckets", "data_key", "TEXT");
        _snapshot = Load();
    }

    public CatalogSnapshot Snapshot => _snapshot;

    /// <summary>
    /// Catalogs made by an older version lack newer columns; ADD COLUMN is one atomic statement and old
    /// rows read NULL, which each column defines as "as before" (acl NULL: derived from owner and public).
    /// </summary>
    private void AddColumnIfMissing(string table, string column, string type)
    {
        using (var info = Sqlite.Command(_connection, $"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = '{column}'"))
        {
            if ((long)info.ExecuteScalar()! > 0)
            {
                return;
            }
        }
        Sqlite.Execute(_connection, $"ALTER TABLE {table} ADD COLUMN {column} {type}");
    }

    public void PutBucket(BucketRecord bucket)
    {
        lock (_lock)
        {
            // A wrapped data key is never dropped: a writer that read the row before the key was made would
            // otherwise make every object sealed under it unreadable.
            if (bucket.WrappedDataKey is null && _snapshot.Buckets.GetValueOrDefault(bucket.Name) is { WrappedDataKey: { } kept } current && current.Id == bucket.Id)
            {
                bucket = bucket with { WrappedDataKey = kept };
            }
            using var command = Sqlite.Command(_connection, """
                INSERT OR REPLACE INTO buckets(name, id, public, owner, index_document, error_document, shadow, versioning, cors, created, acl, lifecycle, policy, encryption, data_key)
                VALUES ($name, $id, $public, $owner, $index, $error, $shadow, $versioning, $cors, $created, $acl, $lifecycle, $policy, $encryption, $data_key)
                """);
            command.Parameters.AddWithValue("$name", bucket.Name);
            command.Parameters.AddWithValue("$id", bucket.Id);
            command.Parameters.AddWithValue("$public", bucket.Public ? 1 : 0);
            command.Parameters.AddWithValue("$owner", (object?)bucket.OwnerKeyId ?? DBNull.Value);
            command.Parameters.AddWithValue("$index", (object?)bucket.IndexDocument ?? DBNull.Value);
            command.Parameters.AddWithValue("$error", (object?)bucket.ErrorDocument ?? DBNull.Value);
            command.Parameters.AddWithValue("$shadow", bucket.Shadow is null ? DBNull.Value : JsonSerializer.Serialize(bucket.Shadow));
            command.Parameters.AddWithValue("$versioning", (int)bucket.Versioning);
            command.Parameters.AddWithValue("$cors", (object?)bucket.CorsXml ?? DBNull.Value);
            command.Parameters.AddWithValue("$created", bucket.CreatedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$acl", (object?)bucket.Acl?.Encode() ?? DBNull.Value);
            command.Parameters.AddWithValue("$lifecycle", bucket.Lifecycle.Count == 0 ? DBNull.Value : LifecycleXml.Write(bucket.Lifecycle).ToString());
            command.Parameters.AddWithValue("$policy", (object?)bucket.Policy?.Json ?? DBNull.Value);
            command.Parameters.AddWithValue("$encryption", (object?)bucket.DefaultEncryption ?? DBNull.Value);
            command.Parameters.AddWithValue("$data_key", (object?)bucket.WrappedDataKey ?? DBNull.Value);
            command.ExecuteNonQuery();
            _snapshot = Load();
        }
    }

    /// <summary>Adds a bucket unless the name is taken, so two racing creates cannot replace each other's bucket.</summary>
    public bool TryAddBucket(BucketRecord bucket)
    {
        lock (_lock)
        {
            if (_snapshot.Buckets.ContainsKey(bucket.Name))
            {
                return false;
            }
            PutBucket(bucket);
            return true;
        }
    }

    /// <summary>Applies <paramref name="change"/> to the current record atomically; false when the bucket is gone.</summary>
    public bool UpdateBucket(string name, Func<BucketRecord, BucketRecord> change)
    {
        lock (_lock)
        {
            if (!_snapshot.Buckets.TryGetValue(name, out var current))
            {
                return false;
            }
            PutBucket(change(current));
            return true;
        }
    }

    public bool DeleteBucket(string name)
    {
        lock (_lock)
        {
            using var command = Sqlite.Command(_connection, "DELETE FROM buckets WHERE name = $name");
            command.Parameters.AddWithValue("$name", name);
            var n = command.ExecuteNonQuery();
            _snapshot = Load();
            return n > 0;
        }
    }

    public void PutKey(AccessKeyRecord key)
    {
        lock (_lock)
        {
            using var command = Sqlite.Command(_connection,
                "INSERT OR REPLACE INTO keys(id, secret, buckets, read_only) VALUES ($id, $secret, $buckets, $ro)");
            command.Parameters.AddWithValue("$id", key.AccessKeyId);
            command.Parameters.AddWithValue("$secret", key.SecretKey);
            command.Parameters.AddWithValue("$buckets", JsonSerializer.Serialize(key.Buckets));
            command.Parameters.AddWithValue("$ro", key.ReadOnly ? 1 : 0);
            command.ExecuteNonQuery();
            _snapshot = Load();
        }
    }

    public bool DeleteKey(string id)
    {
        lock (_lock)
        {
            using var command = Sqlite.Command(_connection, "DELETE FROM keys WHERE id = $id");
            command.Parameters.AddWithValue("$id", id);
            var n = command.ExecuteNonQuery();
            _snapshot = Load();
            return n > 0;
        }
    }

    private CatalogSnapshot Load()
    {
        var buckets = new List<BucketRecord>();
        using (var command = Sqlite.Command(_connection,
            "SELECT name, id, public, owner, index_document, error_document, shadow, versioning, cors, created, acl, lifecycle, policy, encryption, data_key FROM buckets"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var cors = reader.IsDBNull(8) ? null : reader.GetString(8);
                buckets.Add(new BucketRecord(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetInt32(2) != 0,
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : JsonSerializer.Deserialize<ShadowConfig>(reader.GetString(6)),
                    (VersioningState)reader.GetInt32(7),
                    cors,
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)))
                {
                    CorsRules = cors is null ? [] : CorsXml.Parse(cors) ?? [],
                    Acl = reader.IsDBNull(10) ? null : AccessControlList.Decode(reader.GetString(10)),
                    DefaultEncryption = reader.IsDBNull(13) ? null : reader.GetString(13),
                    WrappedDataKey = reader.IsDBNull(14) ? null : reader.GetString(14),
                    Policy = reader.IsDBNull(12) ? null : PolicyParser.Parse(reader.GetString(12), reader.GetString(0), null).Policy,
                    Lifecycle = reader.IsDBNull(11) ? [] : LifecycleXml.Parse(System.Xml.Linq.XDocument.Parse(reader.GetString(11))).Rules ?? [],
                });
            }
        }
        var keys = new List<AccessKeyRecord>();
        using (var command = Sqlite.Command(_connection, "SELECT id, secret, buckets, read_only FROM keys"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                keys.Add(new AccessKeyRecord(reader.GetString(0), reader.GetString(1),
                    JsonSerializer.Deserialize<string[]>(reader.GetString(2)) ?? [], reader.GetInt32(3) != 0));
            }
        }
        return new CatalogSnapshot(buckets, keys);
    }

    public void Dispose() => _connection.Dispose();
}
