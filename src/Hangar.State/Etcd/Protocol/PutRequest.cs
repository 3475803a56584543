namespace Hangar.State.Etcd.Protocol;

internal sealed record PutRequest
{
    public required byte[] Key { get; init; }

    public required byte[] Value { get; init; }
}
