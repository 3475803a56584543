using System.Security.Cryptography;
using System.Text;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Multipart;

namespace Hangar.ObjectStore.Storage;

internal sealed partial class BucketIndex
{
    public const long MinPartSize = 5L * 1024 * 1024;

    public Task<bool> CreateUploadAsync(UploadRecord upload) =>
        RefusedWhenFull<bool>() ?? WriteAsync(context =>
        {
            using var insert = context.Command("INSERT INTO uploads(upload_id, key, initiated, headers, checksum_alg) VALUES ($id, $key, $t, $h, $c)");
            insert.Parameters.AddWithValue("$id", upload.UploadId);
            insert.Parameters.AddWithValue("$key", Encoding.UTF8.GetBytes(upload.Key));
            insert.Parameters.AddWithValue("$t", upload.InitiatedMs);
            insert.Parameters.AddWithValue("$h", upload.Headers);
            insert.Parameters.AddWithValue("$c", (object?)upload.ChecksumAlgorithm ?? DBNull.Value);
            insert.ExecuteNonQuery();
            return true;
        }, null);

    /// <summary>Records a part; false when the upload does not exist (the part's blob is then dropped).</summary>
    public Task<bool> PutPartAsync(string uploadId, PartRecord part, string syncDirectory) =>
        WriteAsync(context =>
        {
            if (UploadExists(context, uploadId) is false)
            {
                context.BlobsToDelete.Add(part.Blob);
                return false;
            }
            using (var old = context.Command("SELECT blob FROM parts WHERE upload_id = $id AND part_number = $n"))
            {
                old.Parameters.AddWithValue("$id", uploadId);
                old.Parameters.AddWithValue("$n", part.PartNumber);
                if (old.ExecuteScalar() is string oldBlob)
                {
                    context.BlobsToDelete.Add(oldBlob);
                }
            }
            using var insert = context.Command("INSERT OR REPLACE INTO parts(upload_id, part_number, blob, size, etag, modified) VALUES ($id, $n, $b, $s, $e, $m)");
            insert.Parameters.AddWithValue("$id", uploadId);
            insert.Parameters.AddWithValue("$n", part.PartNumber);
            insert.Parameters.AddWithValue("$b", part.Blob);
            insert.Parameters.AddWithValue("$s", part.Size);
            insert.Parameters.AddWithValue("$e", part.ETag);
            insert.Parameters.AddWithValue("$m", part.ModifiedMs);
            insert.ExecuteNonQuery();
            return true;
        }, syncDirectory, [part.Blob]);

    /// <summary>
    /// Validates the client's part list against the stored parts and turns the upload into an object
    /// whose segments are the part blobs themselves; parts left out are deleted.
    /// </summary>
    public Task<CompleteResult> CompleteUploadAsync(string uploadId, string key, IReadOnlyList<(int Number, string ETag)> requested,
        VersioningState versioning, WriteCondition condition) =>
        RefusedWhenFull<CompleteResult>() ?? WriteAsync(context =>
        {
            var upload = GetUpload(context, uploadId);
            if (upload is null || upload.Key != key)
            {
                return new CompleteResult(CompleteStatus.NoSuchUpload, null);
            }
            var parts = ReadParts(context, uploadId, 0, int.MaxValue).ToDictionary(p => p.PartNumber);
            if (requested.Count == 0)
            {
                return new CompleteResult(CompleteStatus.InvalidPart, null);
            }
            var previous = 0;
            var chosen = new List<PartRecord>(requested.Count);
            foreach (var (number, etag) in requested)
            {
                if (number <= previous)
                {
                    return new CompleteResult(CompleteStatus.InvalidPartOrder, null);
                }
                previous = number;
                if (!parts.TryGetValue(number, out var part) || part.ETag != etag.Trim('"'))
                {
                    return new CompleteResult(CompleteStatus.InvalidPart, null);
                }
                chosen.Add(part);
            }
            for (var i = 0; i < chosen.Count - 1; i++)
            {
                if (chosen[i].Size < MinPartSize)
                {
                    return new CompleteResult(CompleteStatus.EntityTooSmall, null);
                }
            }
            var k = Encoding.UTF8.GetBytes(key);
            if (!condition.Holds(Latest(context, k)))
            {
                return new CompleteResult(CompleteStatus.PreconditionFailed, null);
            }
            // ETag of a multipart object: MD5 of the concatenated binary part MD5s, then "-N".
            var md5s = new byte[chosen.Count * 16];
            for (var i = 0; i < chosen.Count; i++)
            {
                Convert.FromHexString(chosen[i].ETag).CopyTo(md5s, i * 16);
            }
            var multipartEtag = Convert.ToHexStringLower(MD5.HashData(md5s)) + "-" + chosen.Count;
            var used = chosen.Select(p => p.Blob).ToHashSet(StringComparer.Ordinal);
            context.BlobsToDelete.AddRange(parts.Values.Select(p => p.Blob).Where(b => !used.Contains(b)));
            DeleteUploadRows(context, uploadId);
            var version = new ObjectVersion(key, 0, NewVersionId(), true, false, null,
                string.Join(',', chosen.Select(p => p.Blob + ":" + p.Size)), chosen.Sum(p => p.Size), multipartEtag,
                _time.GetUtcNow().ToUnixTimeMilliseconds(), upload.Headers, null, null);
            InsertLatest(context, k, version, versioning);
            return new CompleteResult(CompleteStatus.Ok, version with
            {
                VersionId = versioning == VersioningState.Enabled ? version.VersionId : NullVersion,
            });
        }, null);

    public Task<bool> AbortUploadAsync(string uploadId) =>
        WriteAsync(context =>
        {
            if (UploadExists(context, uploadId) is false)
            {
                return false;
            }
            context.BlobsToDelete.AddRange(ReadParts(context, uploadId, 0, int.MaxValue).Select(p => p.Blob));
            DeleteUploadRows(context, uploadId);
            return true;
        }, null, freesSpace: true);

    public UploadRecord? GetUpload(string uploadId)
    {
        using var reader = Rent();
        using var command = Sqlite.Command(reader.Connection, "SELECT upload_id, key, initiated, headers, checksum_alg FROM uploads WHERE upload_id = $id");
        command.Parameters.AddWithValue("$id", uploadId);
        using var rows = command.ExecuteReader();
        return rows.Read() ? ReadUpload(rows) : null;
    }

    public List<PartRecord> ListParts(string uploadId, int afterPart, int limit)
    {
        using var reader = Rent();
        using var command = Sqlite.Command(reader.Connection,
            "SELECT part_number, blob, size, etag, modified FROM parts WHERE upload_id = $id AND part_number > $after ORDER BY part_number LIMIT $limit");
        command.Parameters.AddWithValue("$id", uploadId);
        command.Parameters.AddWithValue("$after", afterPart);
        command.Parameters.AddWithValue("$limit", limit);
        return ReadPartRows(command);
    }

    public List<UploadRecord> ListUploads(byte[] from, string? afterUploadId, byte[]? to, int limit)
    {
        using var reader = Rent();
        var where = afterUploadId is null ? "key > $from" : "((key = $from AND upload_id > $uid) OR key > $from)";
        if (from.Length == 0 && afterUploadId is null)
        {
            where = "key >= $from";
        }
        using var command = Sqlite.Command(reader.Connection,
            $"SELECT upload_id, key, initiated, headers, checksum_alg FROM uploads WHERE {where}" + (to is null ? "" : " AND key < $to") + " ORDER BY key, upload_id LIMIT $limit");
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$uid", afterUploadId ?? "");
        if (to is not null)
        {
            command.Parameters.AddWithValue("$to", to);
        }
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<UploadRecord>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            list.Add(ReadUpload(rows));
        }
        return list;
    }

    private static UploadRecord ReadUpload(Microsoft.Data.Sqlite.SqliteDataReader rows) => new(
        rows.GetString(0), Encoding.UTF8.GetString((byte[])rows.GetValue(1)), rows.GetInt64(2), rows.GetString(3),
        rows.IsDBNull(4) ? null : rows.GetString(4));

    private static UploadRecord? GetUpload(WriteContext context, string uploadId)
    {
        using var command = context.Command("SELECT upload_id, key, initiated, headers, checksum_alg FROM uploads WHERE upload_id = $id");
        command.Parameters.AddWithValue("$id", uploadId);
        using var rows = command.ExecuteReader();
        return rows.Read() ? ReadUpload(rows) : null;
    }

    private static bool UploadExists(WriteContext context, string uploadId) => GetUpload(context, uploadId) is not null;

    private static List<PartRecord> ReadParts(WriteContext context, string uploadId, int afterPart, int limit)
    {
        using var command = context.Command(
            "SELECT part_number, blob, size, etag, modified FROM parts WHERE upload_id = $id AND part_number > $after ORDER BY part_number LIMIT $limit");
        command.Parameters.AddWithValue("$id", uploadId);
        command.Parameters.AddWithValue("$after", afterPart);
        command.Parameters.AddWithValue("$limit", limit);
        return ReadPartRows(command);
    }

    private static List<PartRecord> ReadPartRows(Microsoft.Data.Sqlite.SqliteCommand command)
    {
        var list = new List<PartRecord>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            list.Add(new PartRecord(rows.GetInt32(0), rows.GetString(1), rows.GetInt64(2), rows.GetString(3), rows.GetInt64(4)));
        }
        return list;
    }

    private static void DeleteUploadRows(WriteContext context, string uploadId)
    {
        using var command = context.Command("DELETE FROM parts WHERE upload_id = $id; DELETE FROM uploads WHERE upload_id = $id");
        command.Parameters.AddWithValue("$id", uploadId);
        command.ExecuteNonQuery();
    }
}
