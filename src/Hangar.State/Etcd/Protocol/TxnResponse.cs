namespace Hangar.State.Etcd.Protocol;

internal sealed record TxnResponse
{
    public ResponseHeader? Header { get; init; }

    public bool Succeeded { get; init; }
}
