namespace Hangar.State;

/// <summary>A decoded record with the revision to compare-and-swap against.</summary>
public sealed record Versioned<T>(T Value, long ModRevision);
