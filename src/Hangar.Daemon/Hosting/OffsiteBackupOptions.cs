namespace Hangar.Daemon.Hosting;

/// <summary>
/// `hangar up --backup-s3 ...`: an external S3-compatible endpoint every cluster's backups are copied to as pgBackRest's
/// repo2, so a lost machine does not take its backups with it. The secret lives only in the daemon's memory and in each
/// node's pgbackrest.conf (0600, the node user's); it is never logged or printed.
/// </summary>
public sealed record OffsiteBackupOptions
{
    public const string DefaultBucket = "hangar-backups";

    public const string DefaultRegion = "us-east-1";

    /// <summary>The environment variable read when --backup-s3-secret is not given, so the secret stays out of `ps`.</summary>
    public const string SecretVariable = "HANGAR_BACKUP_S3_SECRET";

    /// <summary>https://HOST[:PORT]; pgBackRest 2.45 speaks only HTTPS to S3.</summary>
    public required Uri Endpoint { get; init; }

    public required string AccessKey { get; init; }

    public required string SecretKey { get; init; }

    public string Bucket { get; init; } = DefaultBucket;

    public string Region { get; init; } = DefaultRegion;

    /// <summary>A PEM CA bundle to verify the endpoint with; null for the system's CAs.</summary>
    public string? CaFile { get; init; }

    /// <summary>Each cluster's repository prefix in the bucket.</summary>
    public static string PathOf(string cluster, int generation = 0) =>
        "/hangar/" + cluster + (generation == 0 ? string.Empty : "." + generation.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public override string ToString() => $"OffsiteBackupOptions {{ Endpoint = {Endpoint}, Bucket = {Bucket}, Region = {Region}, AccessKey = {AccessKey}, SecretKey = *** }}";
}
