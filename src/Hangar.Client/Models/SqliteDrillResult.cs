namespace Hangar.Client.Models;

/// <summary>A restore drill: the latest replica restored to a scratch file, integrity-checked, row counts compared with the live file.</summary>
public sealed record SqliteDrillResult(string Name, bool Passed, DateTimeOffset At, double Seconds, string Summary, IReadOnlyList<SqliteTableCount> Tables);
