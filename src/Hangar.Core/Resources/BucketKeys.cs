namespace Hangar.Core.Resources;

/// <summary>Where bucket and storage-key records live in the store, and how other records name a bucket.</summary>
public static class BucketKeys
{
    public const string Prefix = StoreKeys.Root + "buckets/";

    public const string StorageKeyPrefix = StoreKeys.Root + "storage-keys/";

    /// <summary>The kind in attachments ("storage:NAME").</summary>
    public const string Kind = "storage";

    /// <summary>The supervised S3 server process and its log file (`hangar logs -a s3`).</summary>
    public const string ProcessName = "s3";

    public static string Bucket(string name) => Prefix + name;

    public static string StorageKey(string id) => StorageKeyPrefix + id;

    /// <summary>SecretBox associated data of a bucket's shadow secret and of its key's secret: "storage:NAME".</summary>
    public static string Owner(string name) => Kind + ":" + name;

    /// <summary>The S3 naming rule, narrowed as Hangar's names are (no '.', so virtual-hosted names stay one DNS label).</summary>
    public const string NameRule = "lowercase letters, digits and '-', 3-63 characters, starting and ending with a letter or digit";

    public static bool IsValidName(string? name)
    {
        if (name is null || name.Length is < 3 or > 63 || name[0] == '-' || name[^1] == '-')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }

    public static string? NameProblem(string? name) => IsValidName(name) ? null : $"invalid bucket name '{name}': {NameRule}";
}
