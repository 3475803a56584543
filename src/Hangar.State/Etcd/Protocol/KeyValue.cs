namespace Hangar.State.Etcd.Protocol;

/// <summary>etcd's mvccpb.KeyValue. The gateway omits zero-valued fields, so an empty value arrives as null.</summary>
internal sealed record KeyValue
{
    public byte[] Key { get; init; } = [];

    public byte[]? Value { get; init; }

    public long CreateRevision { get; init; }

    public long ModRevision { get; init; }
}
