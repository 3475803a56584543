namespace Hangar.Core.Resources;

/// <summary>The last restore drill of a cluster: when, whether it passed, how long the restore took, what was checked.</summary>
public sealed record PostgresDrillResult(DateTimeOffset At, bool Passed, double RestoreSeconds, string? BackupId, string Detail);
