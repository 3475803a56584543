namespace Hangar.Core.Resources;

/// <summary>
/// A bucket in Hangar's S3 server: desired settings, the app its credentials were set on, and its phase.
/// Key: /hangar/buckets/NAME. The S3 server's catalog holds the data and is reconciled to match these records.
/// Updates bump <see cref="Generation"/>; the reconciler records <see cref="AppliedGeneration"/> once the S3 server has them.
/// </summary>
public sealed record BucketRecord
{
    public required string Name { get; init; }

    public required bool Public { get; init; }

    public string? IndexDocument { get; init; }

    public string? ErrorDocument { get; init; }

    public BucketShadow? Shadow { get; init; }

    /// <summary>The app that gets BUCKET_NAME and AWS_* when the bucket is made; null prints the credentials instead.</summary>
    public string? App { get; init; }

    /// <summary>The access key made with the bucket and scoped to it.</summary>
    public required string AccessKeyId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public BucketPhase Phase { get; init; } = BucketPhase.Pending;

    /// <summary>Destroying: delete the objects too (destroy --force).</summary>
    public bool Force { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset? FailedAt { get; init; }

    public long Generation { get; init; } = 1;

    public long AppliedGeneration { get; init; }

    /// <summary>The reconcile step the record has reached within its phase (e.g. waiting-leader), null when none.</summary>
    public string? Step { get; init; }

    /// <summary>When the record entered <see cref="Step"/>: step deadlines are measured from here.</summary>
    public DateTimeOffset? StepSince { get; init; }
}
