namespace Hangar.Client.Models;

/// <summary>`mpg restore`: into a new managed cluster (same plan and pool), from a backup or to a time.</summary>
public sealed record MpgRestoreRequest
{
    public required string NewName { get; init; }

    public string? BackupId { get; init; }

    /// <summary>RFC 3339.</summary>
    public string? PitrTime { get; init; }
}
