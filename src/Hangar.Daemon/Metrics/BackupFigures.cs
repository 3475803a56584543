namespace Hangar.Daemon.Metrics;

/// <summary>One cluster's backup state; null where nothing happened yet (no backup, no drill).</summary>
internal sealed record BackupFigures(string Cluster, double? LastSuccessUnixSeconds, double ArchiveLagSeconds, double? DrillPassed, double? DrillSeconds, double? DrillUnixSeconds);
