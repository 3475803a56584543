namespace Hangar.Core.Resources;

/// <summary>
/// A Redis instance: desired settings, what the reconciler allocated for it (port, volume) and its phase.
/// Key: /hangar/redis/NAME. Passwords are stored encrypted (SecretBox, associated data "redis:NAME"), never in clear.
/// Updates bump <see cref="Generation"/>; the reconciler applies them live and records <see cref="AppliedGeneration"/>.
/// </summary>
public sealed record RedisRecord
{
    public required string Name { get; init; }

    public required string Region { get; init; }

    public required int MaxMemoryMb { get; init; }

    public required bool Eviction { get; init; }

    public required RedisPersistence Persistence { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>ACL user the apps connect as.</summary>
    public required string User { get; init; }

    public required string PasswordCiphertext { get; init; }

    public required string AdminPasswordCiphertext { get; init; }

    public int? Port { get; init; }

    public string? VolumeId { get; init; }

    public RedisPhase Phase { get; init; } = RedisPhase.Pending;

    public string? Error { get; init; }

    public DateTimeOffset? FailedAt { get; init; }

    public long Generation { get; init; } = 1;

    public long AppliedGeneration { get; init; }

    /// <summary>The reconcile step the record has reached within its phase (e.g. waiting-leader), null when none.</summary>
    public string? Step { get; init; }

    /// <summary>When the record entered <see cref="Step"/>: step deadlines are measured from here.</summary>
    public DateTimeOffset? StepSince { get; init; }
}
