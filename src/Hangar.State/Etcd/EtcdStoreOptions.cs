namespace Hangar.State.Etcd;

/// <summary>Where and how <see cref="EtcdStore"/> reaches etcd's v3 JSON gateway.</summary>
public sealed record EtcdStoreOptions
{
    /// <summary>Client URLs of the members, e.g. <c>http://127.0.0.1:2379</c>. Tried in order; the last one that answered is tried first.</summary>
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    /// <summary>Limit for one request to one endpoint, after which the next endpoint is tried (reads only).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Kept short so that a dead endpoint costs little before the next one is tried.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Keys fetched per range request when listing a prefix; keeps each response well under etcd's message limits.</summary>
    public int RangePageSize { get; init; } = 1000;
}
