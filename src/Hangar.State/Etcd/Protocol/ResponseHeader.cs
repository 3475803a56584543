namespace Hangar.State.Etcd.Protocol;

internal sealed record ResponseHeader
{
    public long Revision { get; init; }
}
