namespace Hangar.Client.Models;

/// <summary>One PgBouncer server connection (SHOW SERVERS) and the node whose backend it is (by its pid).</summary>
public sealed record MpgPoolServer(string Database, string User, string State, int? BackendPid, string? Node);
