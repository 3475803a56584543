namespace Hangar.Client.Models;

/// <summary>`postgres create`. Unset values come from the preset: development (1 node, 1 GB) or production (3 nodes, synchronous, 10 GB).</summary>
public sealed record PostgresCreateRequest
{
    public required string Name { get; init; }

    public string? Region { get; init; }

    /// <summary>"development" or "production"; null means development unless a flag says otherwise.</summary>
    public string? Preset { get; init; }

    public int? InitialClusterSize { get; init; }

    public int? VolumeSizeGb { get; init; }

    public string? Password { get; init; }

    public bool? Synchronous { get; init; }

    public string? SnapshotId { get; init; }

    public string? ForkFrom { get; init; }

    /// <summary>pgBackRest backups and WAL archiving; null: on for the production preset, off for development.</summary>
    public bool? EnableBackups { get; init; }

    /// <summary>Days of backups kept (default 7).</summary>
    public int? BackupRetentionDays { get; init; }

    public override string ToString() => $"PostgresCreateRequest {{ Name = {Name}, Preset = {Preset}, InitialClusterSize = {InitialClusterSize} }}";
}
