using System.Text.Json.Serialization;

namespace Hangar.Core.Resources;

/// <summary>
/// A Postgres cluster: desired shape (node count, volume size, synchronous replication), what the reconciler
/// allocated (proxy port, nodes) and its phase. Key: /hangar/postgres/NAME. The cluster's internal credentials and
/// its TLS certificate are stored encrypted (SecretBox, associated data "postgres:NAME"), never in clear.
/// Scaling bumps <see cref="Generation"/>; the reconciler records <see cref="AppliedGeneration"/> when the nodes match.
/// </summary>
public sealed record PostgresRecord
{
    public required string Name { get; init; }

    public required string Region { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>development or production (flyctl's presets), or custom when flags overrode the preset.</summary>
    public required string Preset { get; init; }

    public required int NodeCount { get; init; }

    public required int VolumeSizeGb { get; init; }

    public required bool Synchronous { get; init; }

    public required string CredentialsCiphertext { get; init; }

    public required string CertificateCiphertext { get; init; }

    /// <summary>Volume snapshot (vs_...) of another cluster's node the first node starts from.</summary>
    public string? SnapshotId { get; init; }

    /// <summary>Running cluster whose fresh base backup the first node starts from.</summary>
    public string? ForkFrom { get; init; }

    /// <summary>A point of another cluster's pgBackRest repository the first node is restored to (`postgres backup restore`).</summary>
    public PostgresRestoreSource? Restore { get; init; }

    /// <summary>pgBackRest backups and WAL archiving (`--enable-backups`, `postgres backup enable`); null is off.</summary>
    public PostgresBackupSettings? Backups { get; init; }

    /// <summary>
    /// Cluster-wide parameters the cluster is made with (Patroni's bootstrap configuration, e.g. an mpg plan's
    /// shared_buffers); later changes go through `config update`. Null: the defaults.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }
    /// <summary>`--enable-postgis-support`: each app database the cluster makes gets PostGIS.</summary>
    public bool EnablePostgis { get; init; }

    /// <summary>
    /// Scale to zero (`--autostop`, single node): after this many seconds with no connection on the cluster port the
    /// node is stopped and <see cref="Suspended"/> set; null is off.
    /// </summary>
    public int? AutostopSeconds { get; init; }

    /// <summary>
    /// Stopped by autostop: the reconciler leaves the node stopped (a restarted daemon too) and the next connection on
    /// the cluster port (the proxy's wake file) or an API call that needs the cluster starts it again.
    /// </summary>
    public bool Suspended { get; init; }

    public int? ProxyPort { get; init; }

    public IReadOnlyList<PostgresNodeRecord> Nodes { get; init; } = [];

    /// <summary>
    /// Where attachments were also kept before /hangar/attachments/ was their one place; read only to move them there
    /// at start (<c>PostgresAttachmentMigration</c>), never written.
    /// </summary>
    [JsonPropertyName("attachments")]
    public IReadOnlyList<PostgresAttachment>? LegacyAttachments { get; init; }

    public PostgresPhase Phase { get; init; } = PostgresPhase.Pending;

    public string? Error { get; init; }

    public DateTimeOffset? FailedAt { get; init; }

    public long Generation { get; init; } = 1;

    public long AppliedGeneration { get; init; }

    /// <summary>The reconcile step the record has reached within its phase (e.g. waiting-leader), null when none.</summary>
    public string? Step { get; init; }

    /// <summary>When the record entered <see cref="Step"/>: step deadlines are measured from here.</summary>
    public DateTimeOffset? StepSince { get; init; }
}
