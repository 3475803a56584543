namespace Hangar.State;

/// <summary>What <c>hangar status</c> shows of the store.</summary>
public sealed record StoreHealth(bool Healthy, string Backend, string? Version, IReadOnlyList<string> Endpoints, string? Error);
