namespace Hangar.Client.Models;

/// <summary>The order nodes were restarted in (replicas, then the old leader after a switchover) and who leads now.</summary>
public sealed record PostgresRestartResult(IReadOnlyList<string> Restarted, string Leader, double Seconds);
