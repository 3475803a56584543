namespace Hangar.Client.Models;

public sealed record StoreInfo(bool Healthy, string Backend, string? Version, IReadOnlyList<string> Endpoints, bool Embedded, string? Error);
