using System.Security.Cryptography;
using System.Text;

namespace Hangar.Core.Resources;

/// <summary>
/// Backup state keys and the system buckets that hold a cluster's pgBackRest repository. System buckets carry the
/// reserved "hangar-" prefix: apps cannot create one, and `storage list`/`destroy` leave them alone.
/// </summary>
public static class BackupKeys
{
    public const string StatePrefix = StoreKeys.Root + "postgres-backup-state/";

    public const string SystemBucketPrefix = "hangar-";

    private const string ClusterBucketPrefix = SystemBucketPrefix + "pg-";

    public static string State(string cluster) => StatePrefix + cluster;

    /// <summary>hangar-pg-NAME, or a hashed tail when NAME is too long for a 63-character bucket name.</summary>
    public static string Bucket(string cluster)
    {
        var plain = ClusterBucketPrefix + cluster;
        if (plain.Length <= 63)
        {
            return plain;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cluster)))[..8];
        return ClusterBucketPrefix + cluster[..(63 - ClusterBucketPrefix.Length - 9)].TrimEnd('-') + "-" + hash;
    }

    /// <summary>The SystemOwner of a cluster's bucket record.</summary>
    public static string Owner(string cluster) => PostgresKeys.Owner(cluster);

    public static bool IsSystemBucket(string name) => name.StartsWith(SystemBucketPrefix, StringComparison.Ordinal);
}
