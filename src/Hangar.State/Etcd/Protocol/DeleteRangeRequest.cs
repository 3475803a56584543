namespace Hangar.State.Etcd.Protocol;

internal sealed record DeleteRangeRequest
{
    public required byte[] Key { get; init; }

    public byte[]? RangeEnd { get; init; }
}
