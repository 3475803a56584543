namespace Hangar.Supervision;

/// <summary>A snapshot of one supervised process, for status output and tests.</summary>
public sealed record ProcessStatus(string Name, ProcessState State, int? Pid, bool Ready, int Restarts, bool Adopted, DateTimeOffset? StartedAt, string? LastExit);
