using System.Text;

namespace Hangar.ObjectStore.Storage;

internal sealed partial class BucketIndex
{
    /// <summary>
    /// Rewrites the stored headers of one version (key, seq) in a group commit, as PutObjectAcl needs;
    /// false when that version is gone.
    /// </summary>
    public Task<bool> ReplaceHeadersAsync(string key, long seq, Func<string, string> change) =>
        WriteAsync(context =>
        {
            var k = Encoding.UTF8.GetBytes(key);
            string current;
            using (var read = context.Command("SELECT headers FROM versions WHERE key = $key AND seq = $seq"))
            {
                read.Parameters.AddWithValue("$key", k);
                read.Parameters.AddWithValue("$seq", seq);
                if (read.ExecuteScalar() is not string headers)
                {
                    return false;
                }
                current = headers;
            }
            using var update = context.Command("UPDATE versions SET headers = $headers WHERE key = $key AND seq = $seq");
            update.Parameters.AddWithValue("$headers", change(current));
            update.Parameters.AddWithValue("$key", k);
            update.Parameters.AddWithValue("$seq", seq);
            update.ExecuteNonQuery();
            return true;
        }, null);
}
