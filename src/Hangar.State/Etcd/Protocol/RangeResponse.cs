namespace Hangar.State.Etcd.Protocol;

internal sealed record RangeResponse
{
    public ResponseHeader? Header { get; init; }

    public IReadOnlyList<KeyValue>? Kvs { get; init; }

    public bool More { get; init; }
}
