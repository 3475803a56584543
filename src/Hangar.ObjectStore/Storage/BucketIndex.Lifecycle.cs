using System.Text;
using Hangar.ObjectStore.Buckets;

namespace Hangar.ObjectStore.Storage;

/// <summary>
/// Lifecycle deletions. Each one re-reads its row inside the writer's transaction and asks the caller's
/// predicate again against what is committed now, so a pass that read a stale page, or resumes after a kill,
/// never deletes a version that was overwritten, restored or taken out of a rule's reach meanwhile.
/// </summary>
internal sealed partial class BucketIndex
{
    /// <summary>Expires the current version (<paramref name="seq"/>) of a key if it is still current and still due.</summary>
    public Task<bool> ExpireCurrentAsync(string key, long seq, VersioningState versioning, Func<ObjectVersion, bool> stillDue) =>
        WriteAsync(context =>
        {
            var k = Encoding.UTF8.GetBytes(key);
            var latest = Latest(context, k);
            if (latest is null || latest.Seq != seq || latest.DeleteMarker || !stillDue(latest))
            {
                return false;
            }
            if (versioning == VersioningState.Unversioned)
            {
                RemoveRow(context, k, latest);
                return true;
            }
            // Versioned buckets keep the data as a noncurrent version behind a delete marker, as S3 does.
            var marker = new ObjectVersion(key, 0, versioning == VersioningState.Enabled ? NewVersionId() : NullVersion,
                true, true, null, null, 0, "", _time.GetUtcNow().ToUnixTimeMilliseconds(), "", null, null);
            InsertLatest(context, k, marker, versioning);
            return true;
        }, null, freesSpace: true);

    /// <summary>
    /// Removes a noncurrent version if it is still noncurrent and still due; the predicate gets the time it
    /// stopped being current (the next newer version's creation).
    /// </summary>
    public Task<bool> ExpireNoncurrentAsync(string key, long seq, Func<ObjectVersion, DateTimeOffset, bool> stillDue) =>
        WriteAsync(context =>
        {
            var k = Encoding.UTF8.GetBytes(key);
            using var command = context.Command($"SELECT {Columns} FROM versions WHERE key = $key AND seq >= $seq ORDER BY seq LIMIT 2");
            command.Parameters.AddWithValue("$key", k);
            command.Parameters.AddWithValue("$seq", seq);
            ObjectVersion? row = null, successor = null;
            using (var rows = command.ExecuteReader())
            {
                if (rows.Read())
                {
                    row = ReadVersion(rows);
                }
                if (rows.Read())
                {
                    successor = ReadVersion(rows);
                }
            }
            if (row is null || row.Seq != seq || row.IsLatest || successor is null || !stillDue(row, successor.Modified))
            {
                return false;
            }
            RemoveRow(context, k, row);
            return true;
        }, null, freesSpace: true);

    /// <summary>Removes a key's delete marker when it is the key's only version left (ExpiredObjectDeleteMarker).</summary>
    public Task<bool> RemoveLoneDeleteMarkerAsync(string key, long seq, Func<ObjectVersion, bool> stillCovered) =>
        WriteAsync(context =>
        {
            var k = Encoding.UTF8.GetBytes(key);
            var latest = Latest(context, k);
            if (latest is null || latest.Seq != seq || !latest.DeleteMarker || !stillCovered(latest))
            {
                return false;
            }
            using (var count = context.Command("SELECT count(*) FROM versions WHERE key = $key"))
            {
                count.Parameters.AddWithValue("$key", k);
                if ((long)count.ExecuteScalar()! != 1)
                {
                    return false;
                }
            }
            RemoveRow(context, k, latest);
            return true;
        }, null, freesSpace: true);
}
