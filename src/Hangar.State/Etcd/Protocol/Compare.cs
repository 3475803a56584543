namespace Hangar.State.Etcd.Protocol;

/// <summary>
/// One txn guard. <see cref="Target"/> is "MOD" or "CREATE"; enums travel by name through the gateway.
/// Only the revision matching the target is set.
/// </summary>
internal sealed record Compare
{
    public required byte[] Key { get; init; }

    public required string Target { get; init; }

    public string Result { get; init; } = "EQUAL";

    public long? ModRevision { get; init; }

    public long? CreateRevision { get; init; }
}
