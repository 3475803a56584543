namespace Hangar.State.Etcd.Protocol;

/// <summary>The body of GET /health: <c>{"health":"true"}</c> — a string, not a boolean.</summary>
internal sealed record HealthResponse
{
    public string? Health { get; init; }
}
