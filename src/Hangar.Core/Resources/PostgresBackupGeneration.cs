namespace Hangar.Core.Resources;

/// <summary>The last <see cref="PostgresBackupSettings.Generation"/> handed out for a cluster name (kept for good).</summary>
public sealed record PostgresBackupGeneration
{
    public required string Cluster { get; init; }

    public int Last { get; init; }
}
