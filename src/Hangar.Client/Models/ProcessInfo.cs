namespace Hangar.Client.Models;

public sealed record ProcessInfo(string Name, string State, int? Pid, bool Ready, int Restarts, bool Adopted, DateTimeOffset? StartedAt, string? LastExit);
