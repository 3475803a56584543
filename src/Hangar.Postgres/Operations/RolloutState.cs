namespace Hangar.Postgres.Operations;

/// <param name="Applied">Every node runs with the new values or reports that it needs a restart for them.</param>
/// <param name="Pending">The nodes with any parameter waiting for a restart (pg_settings.pending_restart).</param>
public sealed record RolloutState(bool Applied, IReadOnlyList<string> Pending);
