namespace Hangar.Postgres.Backups;

/// <summary>
/// Where one of a cluster's pgBackRest repositories lives: repo1 is a bucket of Hangar's S3 server over HTTPS with the
/// platform CA; repo2, when the daemon has --backup-s3, a prefix of an external S3-compatible bucket (the off-site copy).
/// </summary>
public sealed record PgBackRestRepository
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public required string Bucket { get; init; }

    public required string Region { get; init; }

    public required string AccessKey { get; init; }

    public required string SecretKey { get; init; }

    /// <summary>The CA pgBackRest verifies the S3 server's certificate with; null for the system's CAs (verification is never turned off).</summary>
    public required string? CaFile { get; init; }

    /// <summary>The repository's prefix in the bucket: one bucket of the off-site endpoint holds every cluster.</summary>
    public string Path { get; init; } = "/repo";

    public int RetentionDays { get; init; } = 7;

    public override string ToString() => $"PgBackRestRepository {{ Host = {Host}, Port = {Port}, Bucket = {Bucket}, Path = {Path}, SecretKey = *** }}";
}
