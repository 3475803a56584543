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

    /// <summary>PostGIS in each app database the cluster makes (`--enable-postgis-support`, as `fly mpg create`).</summary>
    public bool EnablePostgis { get; init; }

    /// <summary>
    /// Scale to zero (`--autostop[=DURATION]`, single node only): after this long with no client connection the node
    /// is stopped and the next connection starts it. A duration like 30s, 15m, 1h; null is off.
    /// </summary>
    public string? Autostop { get; init; }

    public override string ToString() => $"PostgresCreateRequest {{ Name = {Name}, Preset = {Preset}, InitialClusterSize = {InitialClusterSize} }}";
}
