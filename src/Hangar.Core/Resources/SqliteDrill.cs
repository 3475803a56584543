namespace Hangar.Core.Resources;

/// <summary>One restore drill: the latest replica restored to a scratch file and checked.</summary>
public sealed record SqliteDrill(DateTimeOffset At, bool Passed, double Seconds, string Summary);
