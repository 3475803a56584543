namespace Hangar.State.Etcd.Protocol;

/// <summary>A watch event. <see cref="Type"/> is absent for PUT (the enum's zero value) and "DELETE" otherwise.</summary>
internal sealed record Event
{
    public string? Type { get; init; }

    public KeyValue? Kv { get; init; }
}
