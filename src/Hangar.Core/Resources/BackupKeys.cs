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

    public const string DeletedPrefix = StoreKeys.Root + "postgres-deleted-backups/";

    public static string State(string cluster) => StatePrefix + cluster;

    /// <summary>Every kept repository of destroyed clusters named <paramref name="cluster"/>.</summary>
    public static string DeletedOf(string cluster) => DeletedPrefix + cluster + "/";

    public static string Deleted(string cluster, int generation) => DeletedOf(cluster) + generation.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// hangar-pg-NAME for the first cluster of a name, hangar-pgG-NAME for generation G (a later cluster of the same
    /// name while a destroyed one's repository is kept; a digit after "pg" cannot begin a cluster name, so the two
    /// never meet), with a hashed tail when that is too long for a 63-character bucket name.
    /// </summary>
    public static string Bucket(string cluster, int generation = 0)
    {
        var prefix = generation == 0 ? ClusterBucketPrefix : $"{SystemBucketPrefix}pg{generation.ToString(System.Globalization.CultureInfo.InvariantCulture)}-";
        var plain = prefix + cluster;
        if (plain.Length <= 63)
        {
            return plain;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cluster)))[..8];
        return prefix + cluster[..(63 - prefix.Length - 9)].TrimEnd('-') + "-" + hash;
    }

    /// <summary>The SystemOwner of a cluster's bucket record.</summary>
    public static string Owner(string cluster) => PostgresKeys.Owner(cluster);

    public static bool IsSystemBucket(string name) => name.StartsWith(SystemBucketPrefix, StringComparison.Ordinal);
}
