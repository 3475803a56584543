namespace Hangar.Client.Models;

public sealed record PostgresFailoverResult(string OldLeader, string NewLeader, double Seconds);
