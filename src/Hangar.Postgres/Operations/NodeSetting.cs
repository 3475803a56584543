namespace Hangar.Postgres.Operations;

/// <summary>One pg_settings row: the value in force (in <see cref="Unit"/>), and whether a restart is needed for the stored one.</summary>
internal sealed record NodeSetting(string Setting, string? Unit, bool PendingRestart, string VarType);
