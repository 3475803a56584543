namespace Hangar.Postgres.Operations;

/// <summary>What one node's pg_settings says: whether any parameter waits for a restart, and the rows asked about.</summary>
internal sealed record NodeSettings(string Node, bool AnyPendingRestart, IReadOnlyDictionary<string, NodeSetting> Settings);
