using System.Security.Cryptography;
using System.Text;
using Hangar.ObjectStore.Buckets;

namespace Hangar.ObjectStore.Storage;

internal sealed partial class BucketIndex
{
    public const string NullVersion = "null";

    public static string NewVersionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Makes <paramref name="version"/> the latest of its key; false (and nothing written) if the condition fails.</summary>
    public Task<bool> PutAsync(ObjectVersion version, VersioningState versioning, WriteCondition condition, string? syncDirectory) =>
        WriteAsync(context =>
        {
            var key = Encoding.UTF8.GetBytes(version.Key);
            if (!condition.Holds(Latest(context, key)))
            {
                context.BlobsToDelete.AddRange(version.BlobIds());
                return false;
            }
            InsertLatest(context, key, version, versioning);
            return true;
        }, syncDirectory, version.BlobIds().ToList());

    public Task<DeleteResult?> DeleteAsync(string key, string? versionId, VersioningState versioning) =>
        WriteAsync<DeleteResult?>(context =>
        {
            var k = Encoding.UTF8.GetBytes(key);
            if (versionId is not null)
            {
                var row = ByVersion(context, k, versionId);
                if (row is null)
                {
                    return null;
                }
                RemoveRow(context, k, row);
                if (row.IsLatest)
                {
                    using var promote = context.Command(
                        "UPDATE versions SET is_latest = 1 WHERE key = $key AND seq = (SELECT max(seq) FROM versions WHERE key = $key)");
                    promote.Parameters.AddWithValue("$key", k);
                    promote.ExecuteNonQuery();
                }
                return new DeleteResult(versionId, row.DeleteMarker);
            }
            if (versioning == VersioningState.Unversioned)
            {
                var row = ByVersion(context, k, NullVersion);
                if (row is not null)
                {
                    RemoveRow(context, k, row);
                }
                return new DeleteResult(null, false);
            }
            var marker = new ObjectVersion(key, 0, versioning == VersioningState.Enabled ? NewVersionId() : NullVersion,
                true, true, null, null, 0, "", _time.GetUtcNow().ToUnixTimeMilliseconds(), "", null, null);
            InsertLatest(context, k, marker, versioning);
            return new DeleteResult(marker.VersionId, true);
        }, null, freesSpace: true);

    private static void InsertLatest(WriteContext context, byte[] key, ObjectVersion version, VersioningState versioning)
    {
        using (var clear = context.Command("UPDATE versions SET is_latest = 0 WHERE key = $key AND is_latest = 1"))
        {
            clear.Parameters.AddWithValue("$key", key);
            clear.ExecuteNonQuery();
        }
        if (versioning != VersioningState.Enabled)
        {
            // Unversioned and suspended buckets keep one "null" version: the new one replaces it.
            var old = ByVersion(context, key, NullVersion);
            if (old is not null)
            {
                RemoveRow(context, key, old);
            }
        }
        using var insert = context.Command($"INSERT INTO versions({Columns}) VALUES ($key, $seq, $v, 1, $dm, $blob, $segments, $size, $etag, $modified, $headers, $calg, $csum)");
        insert.Parameters.AddWithValue("$key", key);
        insert.Parameters.AddWithValue("$seq", context.NextSeq());
        insert.Parameters.AddWithValue("$v", versioning == VersioningState.Enabled ? version.VersionId : NullVersion);
        insert.Parameters.AddWithValue("$dm", version.DeleteMarker ? 1 : 0);
        insert.Parameters.AddWithValue("$blob", (object?)version.Blob ?? DBNull.Value);
        insert.Parameters.AddWithValue("$segments", (object?)version.Segments ?? DBNull.Value);
        insert.Parameters.AddWithValue("$size", version.Size);
        insert.Parameters.AddWithValue("$etag", version.ETag);
        insert.Parameters.AddWithValue("$modified", version.ModifiedMs);
        insert.Parameters.AddWithValue("$headers", version.Headers);
        insert.Parameters.AddWithValue("$calg", (object?)version.ChecksumAlgorithm ?? DBNull.Value);
        insert.Parameters.AddWithValue("$csum", (object?)version.Checksum ?? DBNull.Value);
        insert.ExecuteNonQuery();
    }

    private static void RemoveRow(WriteContext context, byte[] key, ObjectVersion row)
    {
        using var delete = context.Command("DELETE FROM versions WHERE key = $key AND seq = $seq");
        delete.Parameters.AddWithValue("$key", key);
        delete.Parameters.AddWithValue("$seq", row.Seq);
        delete.ExecuteNonQuery();
        context.BlobsToDelete.AddRange(row.BlobIds());
    }

    private static ObjectVersion? Latest(WriteContext context, byte[] key)
    {
        using var command = context.Command($"SELECT {Columns} FROM versions WHERE key = $key AND is_latest = 1");
        command.Parameters.AddWithValue("$key", key);
        using var rows = command.ExecuteReader();
        return rows.Read() ? ReadVersion(rows) : null;
    }

    private static ObjectVersion? ByVersion(WriteContext context, byte[] key, string versionId)
    {
        using var command = context.Command($"SELECT {Columns} FROM versions WHERE key = $key AND version_id = $v");
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$v", versionId);
        using var rows = command.ExecuteReader();
        return rows.Read() ? ReadVersion(rows) : null;
    }
}
