namespace Hangar.State.Etcd.Protocol;

/// <summary>A txn operation: exactly one of the two is set (a protobuf oneof).</summary>
internal sealed record RequestOp
{
    public PutRequest? RequestPut { get; init; }

    public DeleteRangeRequest? RequestDeleteRange { get; init; }
}
