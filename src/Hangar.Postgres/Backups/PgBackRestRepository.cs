namespace Hangar.Postgres.Backups;

/// <summary>Where a cluster's pgBackRest repository lives: a bucket of Hangar's S3 server, over HTTPS with the platform CA.</summary>
public sealed record PgBackRestRepository
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public required string Bucket { get; init; }

    public required string Region { get; init; }

    public required string AccessKey { get; init; }

    public required string SecretKey { get; init; }

    /// <summary>The CA pgBackRest verifies the S3 server's certificate with (verification is never turned off).</summary>
    public required string CaFile { get; init; }

    public int RetentionDays { get; init; } = 7;
}
