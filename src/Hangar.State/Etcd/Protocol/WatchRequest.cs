namespace Hangar.State.Etcd.Protocol;

internal sealed record WatchRequest
{
    public required WatchCreateRequest CreateRequest { get; init; }
}
