namespace Hangar.State.Etcd.Protocol;

internal sealed record TxnRequest
{
    public required IReadOnlyList<Compare> Compare { get; init; }

    public required IReadOnlyList<RequestOp> Success { get; init; }
}
